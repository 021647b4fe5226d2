import "server-only";
import { db } from "../../db";
import { hashApiToken, looksLikeApiToken } from "../../crypto/tokens";
import { actorColumns, actorOf, type TActorRow } from "../../auth/load-actor";
import type { TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { isTokenLive, READ_SCOPE_REFUSAL, scopeAllows } from "../../domain/token-scope";
import type { TokenScope } from "../../generated/prisma/client";
import { scopeOf } from "./token-scope-db";

/** How stale a token's `lastUsedAt` may be: writing it on every request costs a commit each. */
export const LAST_USED_GRANULARITY_MS = 60_000;

type TTokenRow = TActorRow & {
  id: string;
  scope: TokenScope;
  revokedAt: Date | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
};

/**
 * The person behind a bearer token, or null for a missing, malformed, unknown,
 * revoked or expired token, or a disabled owner. A read-scoped token used with
 * a method that changes things is refused with FORBIDDEN. Records the last use,
 * to the minute. One statement reads the token and its owner (the API's hot path).
 */
export async function authenticateToken(
  token: string | null | undefined,
  method: string,
): Promise<TPersonActor | null> {
  if (!token || !looksLikeApiToken(token)) return null;
  const now = new Date();
  // Lookup by the SHA-256 of a 256-bit secret: the index compare leaks nothing useful.
  const [row] = await db.$queryRaw<TTokenRow[]>`
    SELECT t.id, t.scope::text AS scope, t."revokedAt", t."expiresAt", t."lastUsedAt",
           ${actorColumns(now)}
    FROM "ApiToken" t JOIN "User" u ON u.id = t."userId"
    WHERE t."tokenHash" = ${hashApiToken(token)}`;
  if (!row || !isTokenLive(row, now)) return null;
  const actor = actorOf(row);
  // A temporary password blocks the API too, until its owner chose their own.
  if (!actor || actor.mustChangePassword) return null;
  if (!scopeAllows(scopeOf(row.scope), method)) throw new AppError("FORBIDDEN", READ_SCOPE_REFUSAL);
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS)
    await db.$executeRaw`UPDATE "ApiToken" SET "lastUsedAt" = ${now} WHERE id = ${row.id}`;
  return actor;
}
