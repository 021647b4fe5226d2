import { randomBytes } from "node:crypto";
import { sha256Hex } from "./hash";

// Personal API tokens: 256 bits of randomness with a recognisable prefix; only
// the SHA-256 is stored (a fast hash is right for high-entropy secrets).
const PREFIX = "pg_";

export function newApiToken(): { token: string; hash: string; prefix: string } {
  const token = PREFIX + randomBytes(32).toString("base64url");
  return { token, hash: hashApiToken(token), prefix: token.slice(0, 10) };
}

export function hashApiToken(token: string): string {
  return sha256Hex(token);
}

/**
 * The secret of a one-time set-your-password link: 256 random bits, only its
 * SHA-256 stored. No prefix, so it is never mistaken for an API token.
 */
export function newLinkSecret(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { secret, hash: hashLinkSecret(secret) };
}

export function hashLinkSecret(secret: string): string {
  return sha256Hex(secret);
}

export function looksLikeLinkSecret(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}

export function looksLikeApiToken(text: string): boolean {
  return /^pg_[A-Za-z0-9_-]{43}$/.test(text);
}
