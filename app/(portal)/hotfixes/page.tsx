import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { listHotfixes } from "@/lib/server/hotfixes/list-hotfixes";
import { MAX_HOTFIX_BYTES } from "@/lib/server/hotfixes/upload-hotfix";
import { formatDate } from "@/lib/format";
import { HotfixUploadForm } from "./_components/upload-form";
import { APPLICATION_LABEL } from "./_components/rollout";

export const metadata = { title: "Hotfixes" };
export const dynamic = "force-dynamic";

/** The seed's System → Hotfixes: every hotfix, who uploaded and released it, where it is applied. */
export default async function HotfixesPage() {
  const actor = await pageActor("hotfix:read");
  const hotfixes = await listHotfixes({ actor });
  return (
    <>
      <div className="page-head">
        <h1>Hotfixes</h1>
        <p>
          Vendor hotfixes, released by a second person and rolled out server by server: a front-end
          hotfix goes to one front end first, a back-end hotfix to one back end, and the rest of the
          fleet waits until that first application is verified. See also{" "}
          <Link href="/servers">hotfixes applied per server</Link>.
        </p>
      </div>
      {can(actor.roles, "hotfix:manage") && (
        <section className="panel">
          <h2>Upload a hotfix</h2>
          <HotfixUploadForm maxBytes={MAX_HOTFIX_BYTES} />
        </section>
      )}
      <section className="panel">
        {hotfixes.length === 0 ? (
          <p className="muted">No hotfixes yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Component</th>
                  <th>Issue</th>
                  <th>Uploaded</th>
                  <th>Released by</th>
                  <th>Where applied</th>
                </tr>
              </thead>
              <tbody>
                {hotfixes.map((h) => (
                  <tr key={h.name}>
                    <td>
                      <Link href={`/hotfixes/${h.name}`} className="mono">
                        {h.name}
                      </Link>
                      <div className="small muted">
                        {h.product} {h.version}
                      </div>
                    </td>
                    <td>{h.component}</td>
                    <td className="mono">{h.issue}</td>
                    <td className="small">
                      {h.uploadedBy}
                      <div className="muted">{formatDate(new Date(h.uploadedAt))}</div>
                    </td>
                    <td className="small">
                      {h.release ? h.release.by : <span className="chip warn">not released</span>}
                    </td>
                    <td>
                      <div className="chips">
                        {h.applications.length === 0 && (
                          <span className="muted small">nowhere</span>
                        )}
                        {h.applications.map((a) => (
                          <span
                            key={a.server}
                            className={`chip ${APPLICATION_LABEL[a.state].tone}`}
                          >
                            {a.server}: {APPLICATION_LABEL[a.state].text}
                          </span>
                        ))}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
