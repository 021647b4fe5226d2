import { sessionRoute } from "@/lib/api/session-route";
import { portalDiffResponse } from "../../diff/diff-response";

// The diff for the admin's browser, named as the seed's step 5 reads it.
export const GET = sessionRoute<{ params: Promise<{ id: string }> }>(
  async ({ actor, context }) => {
    const { id } = await context.params;
    return portalDiffResponse(actor, id, undefined, () => "patch-script.diff");
  },
  { errors: "text" },
);
