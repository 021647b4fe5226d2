import { pageActor } from "@/lib/auth/require-actor";
import { listSystems } from "@/lib/server/systems/list-systems";
import { DeclareForm } from "./declare-form";

export const metadata = { title: "Declare an emergency" };

export default async function DeclarePage() {
  const actor = await pageActor("emergency:declare");
  const systems = await listSystems({ actor });
  return (
    <>
      <div className="page-head">
        <h1>Declare an emergency</h1>
        <p>All teams are informed at once. The 24-hour clock of the fast path starts now.</p>
      </div>
      <section className="panel">
        <DeclareForm systems={systems.map((s) => ({ slug: s.slug, name: s.name }))} />
      </section>
    </>
  );
}
