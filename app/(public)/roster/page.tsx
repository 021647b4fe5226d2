import Link from "next/link";
import { listRoster } from "@/lib/server/roles/list-roster";
import { ROLES, ROLE_LABEL } from "@/lib/domain/roles";
import { formatDate } from "@/lib/format";

export const metadata = { title: "Approved teams" };
export const dynamic = "force-dynamic";

/**
 * The public list the CAcert procedure points to: who is an approved assessor
 * (tester, critical admin, ...), who approved them and when (P2). Names only,
 * no contact details.
 */
export default async function RosterPage() {
  const grants = await listRoster();
  const active = grants.filter((g) => g.approvedAt && !g.revokedAt && !g.user.disabledAt);
  return (
    <main id="main" tabIndex={-1} className="page">
      <div className="page-head">
        <h1>Approved teams</h1>
        <p>
          Everyone currently approved for a role in Patchgate, with who nominated and approved them.{" "}
          <Link href="/">Portal</Link>
        </p>
      </div>
      {ROLES.map((role) => {
        const rows = active.filter((g) => g.role === role);
        return (
          <section key={role} className="panel" aria-labelledby={`role-${role}`}>
            <h2 id={`role-${role}`}>
              {ROLE_LABEL[role]}s <span className="chip">{rows.length}</span>
            </h2>
            {rows.length === 0 ? (
              <p className="muted">Nobody yet.</p>
            ) : (
              <table className="list stacked">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Nominated by</th>
                    <th>Approved by</th>
                    <th>Approved on</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((g) => (
                    <tr key={g.id}>
                      <td data-label="Name">
                        <strong>{g.user.name}</strong>
                      </td>
                      <td data-label="Nominated by">{g.nominatedBy?.name ?? g.nominatedVia}</td>
                      <td data-label="Approved by">{g.approvedBy?.name ?? g.approvedVia}</td>
                      <td data-label="Approved on">
                        {g.approvedAt ? formatDate(g.approvedAt) : "—"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </main>
  );
}
