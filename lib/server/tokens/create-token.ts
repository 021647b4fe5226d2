import "server-only";
import { z } from "zod";
import { cleanLine } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { newApiToken } from "../../crypto/tokens";
import { appendAuditEvent } from "../audit/append-event";

export const ZCreateToken = z.object({
  name: cleanLine().trim().min(1, "Name the token").max(100),
});

/** Creates a personal API token. The token is returned once and stored only as a hash. */
export async function createToken({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZCreateToken>) {
  const person = requirePerson(actor);
  const { name } = ZCreateToken.parse(input);
  const token = newApiToken();
  const row = await db.$transaction(async (tx: Tx) => {
    const row = await tx.apiToken.create({
      data: { userId: person.id, name, tokenHash: token.hash, prefix: token.prefix },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "token.created",
      subjectType: "user",
      subjectId: person.id,
      payload: { userId: person.id, name, prefix: token.prefix },
    });
    return row;
  });
  return { id: row.id, name: row.name, prefix: row.prefix, token: token.token };
}
