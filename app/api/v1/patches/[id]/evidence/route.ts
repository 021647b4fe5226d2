import { apiRoute } from "@/lib/api/handler";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { buildEvidenceBundle } from "@/lib/server/evidence/build-evidence-bundle";
import { evidenceResponse } from "@/lib/server/evidence/evidence-response";

/** The evidence bundle of one patch (X1): application/gzip, verifiable offline with gpg or `patchgate verify`. */
export const GET = apiRoute<TPatchContext>(async ({ actor, context }) => {
  const patchId = await patchIdOf(context);
  return evidenceResponse(await buildEvidenceBundle({ actor, patchId }));
});
