import { apiRoute } from "@/lib/api/handler";
import { dossierResponse } from "@/lib/api/dossier-response";
import { buildUpdateBundle } from "@/lib/server/release-updates/build-update-bundle";

type TUpdateContext = { params: Promise<{ id: string }> };

/** A release update's evidence bundle: application/gzip, checked offline by `patchgate verify`. */
export const GET = apiRoute<TUpdateContext>(async ({ actor, context }) =>
  dossierResponse(await buildUpdateBundle({ actor, id: (await context.params).id })),
);
