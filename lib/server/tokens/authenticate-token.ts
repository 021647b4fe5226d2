import "server-only";
import { db } from "../../db";
import { hashApiToken, looksLikeApiToken } from "../../crypto/tokens";
import { loadActor } from "../../auth/load-actor";
import type { TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { isTokenLive, READ_SCOPE_REFUSAL, scopeAllows } from "../../domain/token-scope";
import { scopeOf } from "./token-scope-db";

/**
 * The person behind a bearer token, or null for a missing, malformed, unknown,
 * revoked or expired token, or a disabled owner. A read-scoped token used with
 * a method that changes things is refused with FORBIDDEN. Records the last use.
 */
export async function authenticateToken(
  token: string | null | undefined,
  method: string,
): Promise<TPersonActor | null> {
  if (!token || !looksLikeApiToken(token)) return null;
  // Lookup by the SHA-256 of a 256-bit secret: the index compare leaks nothing useful.
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(token) } });
  if (!row || !isTokenLive(row, new Date())) return null;
  const actor = await loadActor(row.userId);
  // A temporary password blocks the API too, until its owner chose their own.
  if (!actor || actor.mustChangePassword) return null;
  if (!scopeAllows(scopeOf(row.scope), method)) throw new AppError("FORBIDDEN", READ_SCOPE_REFUSAL);
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return actor;
}
