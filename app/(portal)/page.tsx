import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { getProfile } from "@/lib/server/users/get-profile";
import { listSystems } from "@/lib/server/systems/list-systems";
import { can, permissionsOf } from "@/lib/domain/permissions";
import { listQueue } from "@/lib/server/patches/list-queue";
import { listEmergencies } from "@/lib/server/emergencies/list-emergencies";
import { ROLE_LABEL } from "@/lib/domain/roles";
import { PERMISSION_LABEL } from "@/lib/domain/permission-labels";
import { formatDateTime } from "@/lib/format";

export const metadata = { title: "Overview" };

export default async function Overview() {
  const actor = await pageActor();
  const [{ keys: allKeys }, systems] = await Promise.all([
    getProfile({ actor }),
    listSystems({ actor }),
  ]);
  const keys = allKeys.filter((k) => !k.removedAt).length;
  const reads = can(actor.roles, "patch:read");
  const [queue, emergencies] = reads
    ? await Promise.all([listQueue({ actor }), listEmergencies({ actor })])
    : [null, []];
  const waiting = queue ? Object.values(queue).reduce((n, items) => n + items.length, 0) : 0;
  const open = emergencies.filter((e) => e.state !== "RESOLVED" && e.state !== "CLOSED");
  return (
    <>
      <div className="page-head">
        <h1>Hello, {actor.name}</h1>
        <p>
          You act as {actor.roles.map((r) => ROLE_LABEL[r]).join(", ") || "a person without roles"}.
        </p>
      </div>
      {open.map((e) => (
        <div key={e.id} className="notice error" role="alert">
          Emergency #{e.number} on {e.system.slug}: {e.title} — deadline{" "}
          {formatDateTime(e.deadlineAt)}. <Link href={`/emergencies/${e.number}`}>Open it</Link>
        </div>
      ))}
      {reads && (
        <div className={waiting ? "notice warn" : "notice ok"}>
          {waiting ? (
            <>
              {waiting === 1 ? "One patch waits" : `${waiting} patches wait`} for you.{" "}
              <Link href="/queue">See what to sign or deploy</Link>.
            </>
          ) : (
            "Nothing waits for you right now."
          )}
        </div>
      )}
      {keys === 0 && (
        <div className="notice warn">
          You have no OpenPGP key yet; every sign-off needs one.{" "}
          <Link href="/profile">Add or generate a key</Link>.
        </div>
      )}
      <div className="grid-2">
        <section className="panel">
          <h2>Target systems</h2>
          <table className="list">
            <thead>
              <tr>
                <th>System</th>
                <th>Procedure</th>
                <th>Reviews</th>
                <th>Tests</th>
              </tr>
            </thead>
            <tbody>
              {systems.map((s) => (
                <tr key={s.id}>
                  <td>
                    <strong>{s.name}</strong> <span className="muted mono">{s.slug}</span>
                  </td>
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
          <div className="chips" data-testid="may-do">
            {permissionsOf(actor.roles).map((p) => (
              <span key={p} className="chip">
                {PERMISSION_LABEL[p]}
              </span>
            ))}
          </div>
        </section>
      </div>
    </>
  );
}
