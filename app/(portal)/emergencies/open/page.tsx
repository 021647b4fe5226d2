import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { listEmergencies } from "@/lib/server/emergencies/list-emergencies";
import { describeState } from "@/lib/domain/emergency-ladder";
import { formatDateTime } from "@/lib/format";

export const metadata = { title: "Emergencies" };
export const dynamic = "force-dynamic";

export default async function EmergenciesPage() {
  const actor = await pageActor("patch:read");
  const rows = await listEmergencies({ actor });
  return (
    <>
      <div className="page-head head-row">
        <div>
          <h1>Emergencies</h1>
          <p>
            Every emergency, newest first. The <Link href="/emergencies">public emergency log</Link>{" "}
            shows the same without contact details.
          </p>
        </div>
        {can(actor.roles, "emergency:declare") && (
          <Link className="button" href="/emergencies/new">
            Declare an emergency
          </Link>
        )}
      </div>
      <section className="panel">
        {rows.length === 0 ? (
          <p className="muted">No emergencies so far.</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th>#</th>
                <th>What</th>
                <th>System</th>
                <th>State</th>
                <th>Declared</th>
                <th>Deadline</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td>{e.number}</td>
                  <td>
                    <Link href={`/emergencies/${e.number}`}>{e.title}</Link>
                  </td>
                  <td>{e.system.slug}</td>
                  <td>{describeState(e.state)}</td>
                  <td>{formatDateTime(e.declaredAt)}</td>
                  <td>{formatDateTime(e.deadlineAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
