import "server-only";
import { db } from "../../db";
import { hashApiToken, looksLikeApiToken } from "../../crypto/tokens";
import { loadActor } from "../../auth/load-actor";
import type { TPersonActor } from "../../auth/actor";

/**
 * The person behind a bearer token, or null for a missing, malformed, unknown or
 * revoked token, or a disabled owner. Records the token's last use.
 */
export async function authenticateToken(
  token: string | null | undefined,
): Promise<TPersonActor | null> {
  if (!token || !looksLikeApiToken(token)) return null;
  // Lookup by the SHA-256 of a 256-bit secret: the index compare leaks nothing useful.
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(token) } });
  if (!row || row.revokedAt) return null;
  const actor = await loadActor(row.userId);
  // A temporary password blocks the API too, until its owner chose their own.
  if (!actor || actor.mustChangePassword) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return actor;
}
