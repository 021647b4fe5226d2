import "server-only";
import { z } from "zod";
import { cleanLine } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { newApiToken } from "../../crypto/tokens";
import { verifyPassword } from "../../crypto/password";
import { TOKEN_SCOPES } from "../../domain/token-scope";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";
import { scopeColumn } from "./token-scope-db";
import type { TCallingToken } from "./calling-token";

const DAY_MS = 24 * 60 * 60 * 1000;

export const ZCreateToken = z.object({
  name: cleanLine().trim().min(1, "Name the token").max(100),
  // A stolen session alone must not mint a lasting credential.
  password: z.string().min(1, "Enter your password to create a token").max(256),
  scope: z.enum(TOKEN_SCOPES, "Choose the scope: read or sign"),
  // Days from now; absent = no expiry.
  expiresInDays: z.coerce.number().int().min(1).max(3660).optional(),
});

/**
 * Creates a personal API token. The token is returned once and stored only as a hash.
 * Made with another token (`via`, the API), the new one has no more scope than it and
 * does not outlive it: without `expiresInDays` it expires with it, and a later expiry is refused.
 */
export async function createToken({
  actor,
  via,
  ...input
}: { actor: TActor; via?: TCallingToken | null } & z.input<typeof ZCreateToken>) {
  const person = requirePerson(actor);
  const { name, password, scope, expiresInDays } = ZCreateToken.parse(input);
  if (via?.scope === "read" && scope !== "read")
    throw new AppError("FORBIDDEN", "A read-scope token cannot create a token of the sign scope.");
  const user = await db.user.findUniqueOrThrow({
    where: { id: person.id },
    select: { passwordHash: true },
  });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password)))
    throw new AppError("FORBIDDEN", "The password is wrong; no token was created.");
  const expiresAt = expiryOf(expiresInDays, via?.expiresAt ?? null);
  const token = newApiToken();
  const row = await db.$transaction(async (tx: Tx) => {
    const row = await tx.apiToken.create({
      data: {
        userId: person.id,
        name,
        tokenHash: token.hash,
        prefix: token.prefix,
        scope: scopeColumn(scope),
        expiresAt,
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "token.created",
      subjectType: "user",
      subjectId: person.id,
      payload: {
        userId: person.id,
        name,
        prefix: token.prefix,
        scope,
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      },
    });
    return row;
  });
  return { id: row.id, name: row.name, prefix: row.prefix, scope, expiresAt, token: token.token };
}

/** The new token's expiry: as asked, but never after the expiry of the token that makes it. */
function expiryOf(days: number | undefined, limit: Date | null): Date | null {
  const asked = days ? new Date(Date.now() + days * DAY_MS) : null;
  if (!limit) return asked;
  if (!asked) return limit;
  if (asked > limit)
    throw new AppError(
      "FORBIDDEN",
      `A token cannot create one that outlives it: this token expires at ${limit.toISOString()}; ask for fewer days, or none to expire with it.`,
    );
  return asked;
}
