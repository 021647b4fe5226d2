import { apiRoute } from "@/lib/api/handler";
import { dossierResponse } from "@/lib/api/dossier-response";
import { emergencyNumberOf, type TEmergencyContext } from "@/lib/api/route-params";
import { buildEmergencyBundle } from "@/lib/server/emergencies/build-emergency-bundle";

/** An emergency's evidence bundle: application/gzip, checked offline by `patchgate verify`. */
export const GET = apiRoute<TEmergencyContext>(async ({ actor, context }) =>
  dossierResponse(await buildEmergencyBundle({ actor, number: await emergencyNumberOf(context) })),
);
