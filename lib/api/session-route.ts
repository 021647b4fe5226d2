import "server-only";
import { requireActor } from "../auth/require-actor";
import { ZodError } from "zod";
import { describeZodIssues, isAppError } from "../errors";
import { errorResponse, type THandler } from "./handler";

export type TSessionRouteOptions = {
  /** How errors answer: JSON `{ error }` like the API (default), or one line of plain text for downloads. */
  errors?: "json" | "text";
  /** What a 500 says. */
  internal?: string;
};

function textError(message: string, status: number): Response {
  return new Response(message + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/**
 * The one gate for every portal route handler the browser calls with its
 * session cookie (downloads and uploads): no session is 401, and a person
 * still holding a password an admin chose is 403 — as for server actions
 * (requireActor) and pages (pageActor). The use-case then authorizes.
 */
export function sessionRoute<C = unknown>(handler: THandler<C>, opts: TSessionRouteOptions = {}) {
  const fail = (e: unknown): Response => {
    if (opts.errors === "text" && isAppError(e)) return textError(e.message, e.status);
    // A bad path id or query (input hygiene) is the caller's mistake: 400, not 500.
    if (opts.errors === "text" && e instanceof ZodError)
      return textError(describeZodIssues(e.issues), 400);
    if (opts.errors === "text") console.error(e);
    if (opts.errors === "text") return textError(opts.internal ?? "Internal error.", 500);
    return errorResponse(e, opts.internal);
  };
  return async (request: Request, context: C): Promise<Response> => {
    try {
      const actor = await requireActor();
      return await handler({ actor, request, context });
    } catch (e) {
      return fail(e);
    }
  };
}
