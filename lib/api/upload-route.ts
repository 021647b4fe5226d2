import "server-only";
import { apiError, type THandler } from "./handler";
import { sessionRoute } from "./session-route";

/**
 * A portal route the browser uploads to with XMLHttpRequest (for progress):
 * sessionRoute() decides who acts (and refuses a temporary password), the
 * use-case authorizes. Answers like the API. The proxy never runs for these
 * routes, so a body is not buffered ahead of the use-case's own streamed cap.
 */
export function uploadRoute<C = unknown>(uploadThrough: string, handler: THandler<C>) {
  return sessionRoute<C>(
    async (args) => {
      // A custom header cannot be sent cross-site without a CORS preflight, which these routes never grant.
      if (args.request.headers.get("x-patchgate-upload") !== "1")
        return apiError("FORBIDDEN", `Upload through ${uploadThrough}.`, 403);
      return handler(args);
    },
    { internal: "Something went wrong on the server; nothing was stored." },
  );
}
