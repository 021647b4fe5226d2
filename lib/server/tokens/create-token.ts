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

const DAY_MS = 24 * 60 * 60 * 1000;

export const ZCreateToken = z.object({
  name: cleanLine().trim().min(1, "Name the token").max(100),
  // A stolen session alone must not mint a lasting credential.
  password: z.string().min(1, "Enter your password to create a token").max(256),
  scope: z.enum(TOKEN_SCOPES, "Choose the scope: read or sign"),
  // Days from now; absent = no expiry.
  expiresInDays: z.coerce.number().int().min(1).max(3660).optional(),
});

/** Creates a personal API token. The token is returned once and stored only as a hash. */
export async function createToken({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZCreateToken>) {
  const person = requirePerson(actor);
  const { name, password, scope, expiresInDays } = ZCreateToken.parse(input);
  const user = await db.user.findUniqueOrThrow({
    where: { id: person.id },
    select: { passwordHash: true },
  });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password)))
    throw new AppError("FORBIDDEN", "The password is wrong; no token was created.");
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * DAY_MS) : null;
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
