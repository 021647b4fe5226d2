import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { listDisputes } from "@/lib/server/emergencies/list-disputes";
import { formatDate } from "@/lib/format";

export const metadata = { title: "Disputes" };
export const dynamic = "force-dynamic";

export default async function DisputesPage() {
  const actor = await pageActor("dispute:read");
  const rows = await listDisputes({ actor });
  return (
    <>
      <div className="page-head">
        <h1>Disputes</h1>
        <p>Every use of option 2 or 3 files a dispute for arbitration (E7). Open ones first.</p>
      </div>
      <section className="panel">
        {rows.length === 0 ? (
          <p className="muted">No disputes.</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th>Dispute</th>
                <th>Emergency</th>
                <th>Filed</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link href={`/disputes/${d.number}`}>Dispute #{d.number}</Link>
                  </td>
                  <td>
                    #{d.emergency.number} {d.emergency.title} ({d.emergency.system.slug})
                  </td>
                  <td>{formatDate(d.filedAt)}</td>
                  <td>
                    <span className="chip">{d.ruling ? `ruled: ${d.ruling.verdict}` : "open"}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
