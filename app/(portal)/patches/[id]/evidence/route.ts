import { sessionRoute } from "@/lib/api/session-route";
import { buildDossier } from "@/lib/server/dossier/build-dossier";
import { dossierResponse } from "@/lib/api/dossier-response";

// The dossier for the browser: the same content as GET /api/v1/patches/:id/evidence
// (each export carries its own export time and chain head),
// authorized by the session (sessionRoute) instead of a token.
export const GET = sessionRoute<{ params: Promise<{ id: string }> }>(
  async ({ actor, context }) => {
    const { id } = await context.params;
    return dossierResponse(await buildDossier({ actor, patchId: id }));
  },
  { errors: "text" },
);
