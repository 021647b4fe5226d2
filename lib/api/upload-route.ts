import "server-only";
import { currentActor } from "../auth/require-actor";
import { apiError, errorResponse, type THandler } from "./handler";

/**
 * A portal route the browser uploads to with XMLHttpRequest (for progress):
 * the session decides who acts, the use-case authorizes. Answers like the API.
 * The proxy never runs for these routes, so a body is not buffered ahead of the
 * use-case's own streamed cap.
 */
export function uploadRoute<C = unknown>(uploadThrough: string, handler: THandler<C>) {
  return async (request: Request, context: C): Promise<Response> => {
    const actor = await currentActor();
    if (!actor) return apiError("UNAUTHENTICATED", "Your session has ended. Sign in again.", 401);
    // A custom header cannot be sent cross-site without a CORS preflight, which these routes never grant.
    if (request.headers.get("x-patchgate-upload") !== "1")
      return apiError("FORBIDDEN", `Upload through ${uploadThrough}.`, 403);
    try {
      return await handler({ actor, request, context });
    } catch (e) {
      return errorResponse(e, "Something went wrong on the server; nothing was stored.");
    }
  };
}
