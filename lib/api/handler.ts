import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, describeZodIssues, isAppError } from "../errors";
import { authenticateToken } from "../server/tokens/authenticate-token";
import { isDatabaseUnavailable } from "../server/prisma-errors";
import type { TPersonActor } from "../auth/actor";
import { API_CACHE_CONTROL } from "./security-headers";

export function apiError(
  code: AppError["code"],
  message: string,
  status: number,
  headers?: HeadersInit,
) {
  return privateAnswer(NextResponse.json({ error: { code, message } }, { status, headers }));
}

/**
 * An answer for one token's holder: no shared cache may keep it, and no one re-encodes it.
 * `no-transform` also keeps Next from gzipping it: Next compresses every answer of unknown
 * length, which cost a sign-off 4 % of the server's CPU for a 300-byte receipt (decision 0014).
 * An answer that sets its own Cache-Control (a diff, a bundle) keeps it, and compression.
 */
function privateAnswer(response: Response): Response {
  if (!response.headers.has("cache-control"))
    response.headers.set("cache-control", API_CACHE_CONTROL);
  return response;
}

/** Seconds a client should wait before trying again when the database is away (a restart takes a few). */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** What a route answers when a use-case throws: its code and status, or 500 with `internal`. */
export function errorResponse(
  e: unknown,
  internal = "Internal error; nothing was changed.",
): Response {
  if (isAppError(e)) return apiError(e.code, e.message, e.status);
  if (e instanceof ZodError) return apiError("VALIDATION", describeZodIssues(e.issues), 400);
  // PostgreSQL restarting or unreachable: the request's transaction did not commit (it rolled
  // back with the lost connection), so the client may simply send it again.
  if (isDatabaseUnavailable(e)) {
    // Prisma's message starts with where it was called; its last line is the cause.
    const cause = e instanceof Error ? e.message.trim().split("\n").at(-1) : String(e);
    console.warn(`database unavailable: ${cause}`);
    return apiError(
      "UNAVAILABLE",
      "The portal's database is unreachable; nothing was changed. Try again shortly.",
      503,
      { "retry-after": String(UNAVAILABLE_RETRY_AFTER_S) },
    );
  }
  console.error(e);
  return apiError("INTERNAL", internal, 500);
}

/** The bearer token a request carries, or null. */
export function bearer(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match ? match[1] : null;
}

export type THandler<C> = (args: {
  actor: TPersonActor;
  request: Request;
  context: C;
}) => Promise<Response>;

/**
 * Every /api/v1 route goes through here: a valid personal token or 401 (403 for
 * a read-scoped token on a method that changes things), then the handler (which parses with zod and calls lib/server, where authorization
 * lives); errors become `{ error: { code, message } }` with the mapped status.
 */
export function apiRoute<C = unknown>(handler: THandler<C>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      const actor = await authenticateToken(bearer(request), request.method);
      if (!actor)
        return apiError(
          "UNAUTHENTICATED",
          "A valid API token is required: Authorization: Bearer <token>.",
          401,
        );
      return privateAnswer(await handler({ actor, request, context }));
    } catch (e) {
      return errorResponse(e);
    }
  };
}
