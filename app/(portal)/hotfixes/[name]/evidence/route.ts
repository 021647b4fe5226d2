import { sessionRoute } from "@/lib/api/session-route";
import { dossierResponse } from "@/lib/api/dossier-response";
import { hotfixNameOf, type THotfixContext } from "@/lib/api/route-params";
import { buildHotfixBundle } from "@/lib/server/hotfixes/build-hotfix-bundle";

// The hotfix's evidence bundle for the browser: the same as GET
// /api/v1/hotfixes/:name/evidence, authorized by the session.
export const GET = sessionRoute<THotfixContext>(
  async ({ actor, context }) =>
    dossierResponse(await buildHotfixBundle({ actor, name: await hotfixNameOf(context) })),
  { errors: "text" },
);
