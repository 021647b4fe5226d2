import { currentActor } from "@/lib/auth/require-actor";
import { ZodError } from "zod";
import { describeZodIssues, isAppError } from "@/lib/errors";
import { buildDossier } from "@/lib/server/dossier/build-dossier";
import { dossierResponse } from "@/lib/api/dossier-response";

// The dossier for the browser: the same content as GET /api/v1/patches/:id/evidence
// (each export carries its own export time and chain head),
// authorized by the session instead of a token.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor)
    return new Response("Sign in first.\n", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  const { id } = await params;
  try {
    return dossierResponse(await buildDossier({ actor, patchId: id }));
  } catch (e) {
    if (isAppError(e))
      return new Response(e.message + "\n", {
        status: e.status,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    if (e instanceof ZodError)
      return new Response(describeZodIssues(e.issues) + "\n", {
        status: 400,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    throw e;
  }
}
