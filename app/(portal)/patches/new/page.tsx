import { pageActor } from "@/lib/auth/require-actor";
import { listSystems } from "@/lib/server/systems/list-systems";
import { env } from "@/lib/env";
import { NewPatchForm } from "./new-patch-form";

export const metadata = { title: "New patch" };

export default async function NewPatchPage() {
  const actor = await pageActor("patch:submit");
  const systems = await listSystems({ actor });
  return (
    <>
      <div className="page-head">
        <h1>New patch</h1>
        <p>
          Upload a unified diff for a target system. It is stored byte for byte with its SHA-256;
          then you sign the submission, and the review gate opens.
        </p>
      </div>
      <section className="panel">
        <NewPatchForm systems={systems} maxBytes={env().MAX_DIFF_BYTES} />
      </section>
    </>
  );
}
