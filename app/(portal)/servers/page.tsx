import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { listServers } from "@/lib/server/hotfixes/servers";
import { addServerAction } from "@/lib/actions/hotfixes";
import { ActionForm } from "@/app/_components/action-form";
import { APPLICATION_LABEL } from "../hotfixes/_components/rollout";

export const metadata = { title: "Servers" };
export const dynamic = "force-dynamic";

/** The seed's System → Hotfixes Applied: each server with its role, version and hotfixes (H2). */
export default async function ServersPage() {
  const actor = await pageActor("hotfix:read");
  const servers = await listServers({ actor });
  return (
    <>
      <div className="page-head">
        <h1>Servers</h1>
        <p>
          The fleet <Link href="/hotfixes">hotfixes</Link> are rolled out to, with the hotfixes
          applied on each.
        </p>
      </div>
      <section className="panel">
        {servers.length === 0 ? (
          <p className="muted">No servers yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th>Server</th>
                  <th>Role</th>
                  <th>Product</th>
                  <th>Hotfixes applied</th>
                </tr>
              </thead>
              <tbody>
                {servers.map((s) => (
                  <tr key={s.slug} data-testid={`server-${s.slug}`}>
                    <td>
                      <b className="mono">{s.slug}</b>
                      {s.name !== s.slug && <div className="small muted">{s.name}</div>}
                    </td>
                    <td>{s.role === "frontend" ? "front end" : "back end"}</td>
                    <td>
                      {s.product} {s.version}
                    </td>
                    <td>
                      <div className="chips">
                        {s.hotfixes.length === 0 && <span className="small muted">none</span>}
                        {s.hotfixes.map((h) => (
                          <Link
                            key={h.name}
                            href={`/hotfixes/${h.name}`}
                            className={`chip ${APPLICATION_LABEL[h.state as "APPLIED"].tone}`}
                          >
                            {h.name}
                          </Link>
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
      {can(actor.roles, "servers:manage") && (
        <section className="panel">
          <h2>Add a server</h2>
          <ActionForm action={addServerAction} submit="Add server">
            <div className="grid-2">
              <label>
                Slug
                <input
                  name="slug"
                  required
                  pattern="[a-z0-9][a-z0-9\-]{0,62}"
                  placeholder="km-fe1"
                />
              </label>
              <label>
                Name
                <input name="name" maxLength={200} placeholder="Key Manager front end 1" />
              </label>
              <label>
                Product
                <input name="product" required placeholder="sshmgr" />
              </label>
              <label>
                Version
                <input name="version" required pattern="\d+\.\d+\.\d+" placeholder="3.0.0" />
              </label>
              <label>
                Role
                <select name="role" defaultValue="frontend">
                  <option value="frontend">front end</option>
                  <option value="backend">back end</option>
                </select>
              </label>
            </div>
          </ActionForm>
        </section>
      )}
    </>
  );
}
