import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";

export const ZRevokeToken = z.object({ tokenId: cleanId() });

export async function revokeToken({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRevokeToken>) {
  const person = requirePerson(actor);
  const { tokenId } = ZRevokeToken.parse(input);
  await db.$transaction(async (tx: Tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: tokenId, userId: person.id } });
    if (!token) throw new AppError("NOT_FOUND", "No such token on your account.");
    const { count } = await tx.apiToken.updateMany({
      where: { id: tokenId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw new AppError("CONFLICT", "This token was already revoked.");
    await appendAuditEvent(tx, {
      actor: person,
      action: "token.revoked",
      subjectType: "user",
      subjectId: person.id,
      payload: { userId: person.id, prefix: token.prefix },
    });
  });
}
