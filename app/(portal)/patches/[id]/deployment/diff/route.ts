import { portalDiffResponse } from "../../diff/diff-response";

// The diff for the admin's browser, named as the seed's step 5 reads it.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return portalDiffResponse(id, undefined, () => "patch-script.diff");
}
