import "server-only";
import type { TokenScope } from "../../generated/prisma/client";
import { scopeOf } from "./token-scope-db";

/** A token as its owner's lists show it: never the secret nor its hash, only the first 10 characters. */
export function tokenEntry(t: {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scope: scopeOf(t.scope),
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
  };
}
