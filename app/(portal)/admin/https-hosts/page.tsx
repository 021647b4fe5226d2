import { pageActor } from "@/lib/auth/require-actor";
import { formatDateTime } from "@/lib/format";
import { listHttpsHosts } from "@/lib/server/release-updates/allowed-hosts";
import { allowHttpsHostAction, removeHttpsHostAction } from "@/lib/actions/release-updates";
import { ActionForm } from "@/app/_components/action-form";
import styles from "../../updates/_components/release-updates.module.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "HTTPS hosts" };

type THost = { host: string; note: string; createdAt: string | Date };

export default async function HttpsHostsPage() {
  const actor = await pageActor("update:manage");
  const hosts = (await listHttpsHosts({ actor })) as THost[];
  return (
    <>
      <div className="page-head">
        <h1>HTTPS hosts</h1>
        <p>
          The worker checks apache and nginx over HTTPS for testers only on these hosts (exact
          names): the portal never becomes a way to probe other hosts.
        </p>
      </div>
      <section className="panel" aria-labelledby="hosts-head">
        <h2 id="hosts-head">Allowed hosts</h2>
        {hosts.length === 0 ? (
          <p className="small muted">No host allowed: every HTTPS check is refused.</p>
        ) : (
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th>Host</th>
                  <th>Note</th>
                  <th>Added</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {hosts.map((h) => (
                  <tr key={h.host} data-testid={`host-${h.host}`}>
                    <td className="mono">{h.host}</td>
                    <td className={`small ${styles.wrap}`}>{h.note}</td>
                    <td className="small">{formatDateTime(new Date(h.createdAt))}</td>
                    <td>
                      <ActionForm
                        action={removeHttpsHostAction}
                        submit="Remove"
                        submitClass="secondary small"
                        className="inline"
                      >
                        <input type="hidden" name="host" value={h.host} />
                      </ActionForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="add-head">
        <h2 id="add-head">Allow a host</h2>
        <ActionForm action={allowHttpsHostAction} submit="Allow">
          <div className={styles.factFields}>
            <label>
              Host
              <input name="host" required maxLength={253} placeholder="test.example.org" />
            </label>
            <label>
              Note
              <input name="note" maxLength={200} placeholder="the SRU test machine" />
            </label>
          </div>
        </ActionForm>
      </section>
    </>
  );
}
