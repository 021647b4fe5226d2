import { z } from "zod";
import { sessionRoute } from "@/lib/api/session-route";
import { dossierResponse } from "@/lib/api/dossier-response";
import { cleanId } from "@/lib/domain/input-hygiene";
import { buildUpdateBundle } from "@/lib/server/release-updates/build-update-bundle";

type TContext = { params: Promise<{ id: string }> };
const ZParams = z.object({ id: cleanId() });

// The release update's evidence bundle for the browser: the same as GET
// /api/v1/updates/:id/evidence, authorized by the session.
export const GET = sessionRoute<TContext>(
  async ({ actor, context }) =>
    dossierResponse(await buildUpdateBundle({ actor, id: ZParams.parse(await context.params).id })),
  { errors: "text" },
);
