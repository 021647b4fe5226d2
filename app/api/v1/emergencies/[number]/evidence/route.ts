import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { dossierResponse } from "@/lib/api/dossier-response";
import { intId } from "@/lib/domain/input-hygiene";
import { buildEmergencyBundle } from "@/lib/server/emergencies/build-emergency-bundle";

type TContext = { params: Promise<{ number: string }> };
const ZParams = z.object({ number: intId() });

/** An emergency's evidence bundle: application/gzip, checked offline by `patchgate verify`. */
export const GET = apiRoute<TContext>(async ({ actor, context }) =>
  dossierResponse(
    await buildEmergencyBundle({ actor, number: ZParams.parse(await context.params).number }),
  ),
);
