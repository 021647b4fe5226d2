// What an API token may do. `read` tokens serve scripts that only look (a
// dashboard, a mirror of the queue): they can never sign, vote or change
// anything, whatever their owner's roles. `sign` tokens act as their owner.
export const TOKEN_SCOPES = ["read", "sign"] as const;
export type TTokenScope = (typeof TOKEN_SCOPES)[number];

const READ_METHODS = new Set(["GET", "HEAD"]);

export function scopeAllows(scope: TTokenScope, method: string): boolean {
  return scope === "sign" || READ_METHODS.has(method.toUpperCase());
}

export const READ_SCOPE_REFUSAL =
  "This API token has the read scope: it may only make GET and HEAD requests. Create a token with the sign scope on your profile page to change anything.";

/** A token is dead once revoked or past its expiry. */
export function isTokenLive(
  token: { revokedAt: Date | null; expiresAt: Date | null },
  now: Date,
): boolean {
  return token.revokedAt === null && (token.expiresAt === null || token.expiresAt > now);
}
