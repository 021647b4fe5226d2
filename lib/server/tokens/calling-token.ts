import "server-only";
import { db } from "../../db";
import { hashApiToken, looksLikeApiToken } from "../../crypto/tokens";
import type { TTokenScope } from "../../domain/token-scope";
import { scopeOf } from "./token-scope-db";

export type TCallingToken = { id: string; scope: TTokenScope; expiresAt: Date | null };

/**
 * The token a request came with (apiRoute has already let it through), so a
 * use-case can hold what it does to that token's own limits: a token never
 * mints one with more scope than itself, or one that outlives it.
 */
export async function callingToken(token: string | null): Promise<TCallingToken | null> {
  if (!token || !looksLikeApiToken(token)) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, scope: true, expiresAt: true },
  });
  return row ? { id: row.id, scope: scopeOf(row.scope), expiresAt: row.expiresAt } : null;
}
