import { z } from "zod";
import { sessionRoute } from "@/lib/api/session-route";
import { dossierResponse } from "@/lib/api/dossier-response";
import { intId } from "@/lib/domain/input-hygiene";
import { buildEmergencyBundle } from "@/lib/server/emergencies/build-emergency-bundle";

type TContext = { params: Promise<{ number: string }> };
const ZParams = z.object({ number: intId() });

// The emergency's evidence bundle for the browser: the same as GET
// /api/v1/emergencies/:number/evidence, authorized by the session.
export const GET = sessionRoute<TContext>(
  async ({ actor, context }) =>
    dossierResponse(
      await buildEmergencyBundle({ actor, number: ZParams.parse(await context.params).number }),
    ),
  { errors: "text" },
);
