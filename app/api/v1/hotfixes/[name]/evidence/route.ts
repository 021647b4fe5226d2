import { apiRoute } from "@/lib/api/handler";
import { hotfixNameOf, type THotfixContext } from "@/lib/api/route-params";
import { dossierResponse } from "@/lib/api/dossier-response";
import { buildHotfixBundle } from "@/lib/server/hotfixes/build-hotfix-bundle";

/** A hotfix's evidence bundle: application/gzip, checked offline by `patchgate verify`. */
export const GET = apiRoute<THotfixContext>(async ({ actor, context }) =>
  dossierResponse(await buildHotfixBundle({ actor, name: await hotfixNameOf(context) })),
);
