import { apiError, apiRoute, type THandler } from "@/lib/api/handler";
import { jsonResponse } from "@/lib/api/log-routes";
import { queryOf } from "@/lib/api/route-params";
import { logLeaves } from "@/lib/server/log/leaves";

export const dynamic = "force-dynamic";

const handler: THandler<unknown> = async ({ actor, request }) =>
  jsonResponse(await logLeaves({ actor, ...queryOf(request, ["start", "end"]) }));
const byToken = apiRoute(handler);

/**
 * `?start=&end=`: leaves [start, end), at most 1000, with their events. They carry
 * payloads, so a token or a session allowed to read the audit log (audit:read).
 */
export async function GET(request: Request, context: unknown) {
  if (request.headers.has("authorization")) return byToken(request, context);
  if (/authjs\.session-token=/.test(request.headers.get("cookie") ?? ""))
    // Loaded only here: Auth.js is the session's business, a token needs none of it.
    return (await import("@/lib/api/session-route")).sessionRoute(handler)(request, context);
  return apiError(
    "UNAUTHENTICATED",
    "A valid API token (Authorization: Bearer <token>) or a session is required.",
    401,
  );
}
