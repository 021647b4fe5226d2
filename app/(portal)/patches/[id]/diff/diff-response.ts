import { currentActor } from "@/lib/auth/require-actor";
import { getPatchDiff } from "@/lib/server/patches/get-patch";
import { ZodError } from "zod";
import { describeZodIssues, isAppError } from "@/lib/errors";
import { diffResponse } from "@/lib/api/diff-response";

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
    return diffResponse(diff, `attachment; filename="${filename(diff.number)}"`);
  } catch (e) {
    if (isAppError(e)) return text(e.message, e.status);
    if (e instanceof ZodError) return text(describeZodIssues(e.issues), 400);
    throw e;
  }
}
