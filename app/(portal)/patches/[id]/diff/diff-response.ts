import { currentActor } from "@/lib/auth/require-actor";
import { getPatchDiff } from "@/lib/server/patches/get-patch";
import { isAppError } from "@/lib/errors";

function text(body: string, status: number): Response {
  return new Response(body + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/**
 * A revision's exact bytes for the signed-in browser: the same bytes as GET
 * /api/v1/patches/:id/diff, authorized by the session instead of a token.
 */
export async function portalDiffResponse(
  patchId: string,
  revision: number | undefined,
  filename: (revision: number) => string,
): Promise<Response> {
  const actor = await currentActor();
  if (!actor) return text("Sign in first.", 401);
  try {
    const diff = await getPatchDiff({ actor, patchId, revision });
    return new Response(new Uint8Array(diff.bytes), {
      headers: {
        "content-type": "text/x-diff",
        "content-disposition": `attachment; filename="${filename(diff.number)}"`,
        "x-diff-sha256": diff.sha256,
        "x-revision": String(diff.number),
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (e) {
    if (isAppError(e)) return text(e.message, e.status);
    throw e;
  }
}
