import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { getProfile } from "@/lib/server/users/get-profile";
import { listSystems } from "@/lib/server/systems/list-systems";
import { permissionsOf } from "@/lib/domain/permissions";
import { ROLE_LABEL } from "@/lib/domain/roles";

export const metadata = { title: "Overview" };

export default async function Overview() {
  const actor = await pageActor();
  const [{ keys: allKeys }, systems] = await Promise.all([getProfile({ actor }), listSystems({ actor })]);
  const keys = allKeys.filter((k) => !k.removedAt).length;
  return (
    <>
      <div className="page-head">
        <h1>Hello, {actor.name}</h1>
        <p>
          You act as {actor.roles.map((r) => ROLE_LABEL[r]).join(", ") || "a person without roles"}.
        </p>
      </div>
      {keys === 0 && (
        <div className="notice warn">
          You have no OpenPGP key yet; every sign-off needs one. <Link href="/profile">Add or generate a key</Link>.
        </div>
      )}
      <div className="grid-2">
        <section className="panel">
          <h2>Target systems</h2>
          <table className="list">
            <thead>
              <tr><th>System</th><th>Procedure</th><th>Reviews</th><th>Tests</th></tr>
            </thead>
            <tbody>
              {systems.map((s) => (
                <tr key={s.id}>
                  <td><strong>{s.name}</strong> <span className="muted mono">{s.slug}</span></td>
                  <td>{s.procedure === "WEBDB" ? "webdb" : "signing server"}</td>
                  <td>{s.reviewsRequired}</td>
                  <td>{s.testsRequired}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>What you may do</h2>
          <div className="chips">
            {permissionsOf(actor.roles).map((p) => (
              <span key={p} className="chip">{p}</span>
            ))}
          </div>
        </section>
      </div>
    </>
  );
}
