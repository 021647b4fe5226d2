import { apiRoute } from "@/lib/api/handler";
import { patchIdOf, queryOf, ZDiffQuery, type TPatchContext } from "@/lib/api/route-params";
import { getPatchDiff } from "@/lib/server/patches/get-patch";
import { diffResponse } from "@/lib/api/diff-response";

/** The exact bytes that were uploaded (and that statements name by SHA-256), current revision by default. */
export const GET = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const { revision } = ZDiffQuery.parse(queryOf(request, ["revision"]));
  const diff = await getPatchDiff({ actor, patchId, revision });
  return diffResponse(diff, `inline; filename="patch-${patchId}-r${diff.number}.diff"`);
});
