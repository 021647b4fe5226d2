import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { showsExpiryBanner } from "@/lib/domain/certificate-expiry";
import { listInstallations } from "@/lib/server/updates/installations";
import { packageCounts } from "@/lib/server/updates/update-pages";
import { createInstallationAction } from "@/lib/actions/updates";
import { ActionForm } from "@/app/_components/action-form";
import { MODE_LABEL } from "./_components/labels";
import styles from "./_components/updates.module.css";

export const metadata = { title: "Installations" };
export const dynamic = "force-dynamic";

/** Every vendor-updated installation (the seed's OS4X): how it is updated, whom it trusts, what waits. */
export default async function InstallationsPage() {
  const actor = await pageActor("package:read");
  const [installations, counts] = await Promise.all([
    listInstallations({ actor }),
    packageCounts({ actor }),
  ]);
  const now = new Date();
  return (
    <>
      <div className="page-head">
        <h1>Installations</h1>
        <p>
          Installations of vendor-updated products. Each trusts the vendor&apos;s certificates;
          every update package received is verified against them exactly as{" "}
          <code>openssl smime -verify</code> does, and quarantined with its reason when it fails.
        </p>
      </div>
      <section className="panel">
        {installations.length === 0 ? (
          <p className="muted">No installations yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th>Installation</th>
                  <th>Product</th>
                  <th>Mode</th>
                  <th>Nearest certificate end</th>
                  <th>Packages</th>
                </tr>
              </thead>
              <tbody>
                {installations.map((i) => {
                  const nearest = [...i.certificates].sort(
                    (a, b) => new Date(a.notAfter).getTime() - new Date(b.notAfter).getTime(),
                  )[0];
                  const { waiting, quarantined } = counts.get(i.slug) ?? {
                    waiting: 0,
                    quarantined: 0,
                  };
                  return (
                    <tr key={i.slug} data-testid={`installation-${i.slug}`}>
                      <td>
                        <Link href={`/installations/${i.slug}`}>{i.name}</Link>
                        <div className="small muted mono">{i.slug}</div>
                      </td>
                      <td>
                        {i.product}
                        {i.enterprise && <div className="small muted">Enterprise</div>}
                      </td>
                      <td>{MODE_LABEL[i.mode] ?? i.mode}</td>
                      <td className="small">
                        {!nearest ? (
                          <span className="chip warn">none trusted</span>
                        ) : (
                          <>
                            <span className="mono">{nearest.notAfterText}</span>
                            <div>
                              <span
                                className={`chip ${nearest.expiresInDays < 0 ? "bad" : showsExpiryBanner(new Date(nearest.notAfter), now) ? "warn" : ""}`}
                              >
                                {nearest.expiresInDays < 0
                                  ? "expired"
                                  : `${nearest.expiresInDays} days left`}
                              </span>
                            </div>
                          </>
                        )}
                      </td>
                      <td>
                        <div className="chips">
                          {waiting > 0 && <span className="chip warn">{waiting} waiting</span>}
                          {quarantined > 0 && (
                            <span className="chip bad">{quarantined} quarantined</span>
                          )}
                          {waiting === 0 && quarantined === 0 && (
                            <span className="small muted">nothing waiting</span>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {can(actor.roles, "package:manage") && (
        <section className="panel">
          <h2>Add an installation</h2>
          <ActionForm action={createInstallationAction} submit="Add installation">
            <div className="grid-2">
              <label>
                Slug
                <input name="slug" required placeholder="os4x-prod" pattern="[a-z0-9][a-z0-9-]*" />
              </label>
              <label>
                Name
                <input name="name" required placeholder="OS4X production" />
              </label>
              <label>
                Product
                <input name="product" required placeholder="OS4X" />
              </label>
              <label>
                Update mode
                <select name="mode" defaultValue="manual">
                  <option value="automatic">automatic</option>
                  <option value="semi-automatic">semi-automatic</option>
                  <option value="manual">manual</option>
                </select>
              </label>
            </div>
            <label className={styles.check}>
              <input type="checkbox" name="enterprise" />
              <span>
                Enterprise (web access client and plugins: three more steps on the manual checklist)
              </span>
            </label>
          </ActionForm>
        </section>
      )}
    </>
  );
}
