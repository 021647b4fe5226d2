import { currentActor } from "@/lib/auth/require-actor";
import { getPatchDiff } from "@/lib/server/patches/get-patch";
import { isAppError } from "@/lib/errors";

// The diff for the admin's browser: the same bytes as GET /api/v1/patches/:id/diff,
// authorized by the session instead of a token. Named as the seed's step 5 reads it.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor)
    return new Response("Sign in first.\n", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  const { id } = await params;
  try {
    const diff = await getPatchDiff({ actor, patchId: id });
    return new Response(new Uint8Array(diff.bytes), {
      headers: {
        "content-type": "text/x-diff",
        "content-disposition": 'attachment; filename="patch-script.diff"',
        "x-diff-sha256": diff.sha256,
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (e) {
    if (isAppError(e))
      return new Response(e.message + "\n", {
        status: e.status,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    throw e;
  }
}
