import type { TPersonActor } from "@/lib/auth/actor";
import { getPatchDiff } from "@/lib/server/patches/get-patch";
import { diffResponse } from "@/lib/api/diff-response";

/**
 * A revision's exact bytes for the signed-in browser: the same bytes as GET
 * /api/v1/patches/:id/diff, authorized by the session (sessionRoute) instead of a token.
 */
export async function portalDiffResponse(
  actor: TPersonActor,
  patchId: string,
  revision: number | undefined,
  filename: (revision: number) => string,
): Promise<Response> {
  const diff = await getPatchDiff({ actor, patchId, revision });
  return diffResponse(diff, `attachment; filename="${filename(diff.number)}"`);
}
