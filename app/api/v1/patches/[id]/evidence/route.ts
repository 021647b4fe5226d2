import { apiRoute } from "@/lib/api/handler";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { buildDossier } from "@/lib/server/dossier/build-dossier";
import { dossierResponse } from "@/lib/api/dossier-response";

/** The dossier of one patch (X1): application/gzip, verifiable offline with gpg or `patchgate verify`. */
export const GET = apiRoute<TPatchContext>(async ({ actor, context }) => {
  const patchId = await patchIdOf(context);
  return dossierResponse(await buildDossier({ actor, patchId }));
});
