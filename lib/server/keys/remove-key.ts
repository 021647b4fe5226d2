import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";
import { ZKeyFingerprint } from "./signing-key";

export const ZRemoveKey = z.object({ keyId: cleanId() });

/**
 * Retires one of the actor's own keys: it can no longer sign. The row stays,
 * because past signatures must remain verifiable.
 */
export async function removeKey({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRemoveKey>) {
  const person = requirePerson(actor);
  const { keyId } = ZRemoveKey.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const key = await tx.pgpKey.findFirst({ where: { id: keyId, userId: person.id } });
    if (!key) throw new AppError("NOT_FOUND", "No such key on your account.");
    const { count } = await tx.pgpKey.updateMany({
      where: { id: keyId, removedAt: null },
      data: { removedAt: new Date() },
    });
    if (count === 0) throw new AppError("CONFLICT", "This key was already removed.");
    await appendAuditEvent(tx, {
      actor: person,
      action: "key.removed",
      subjectType: "user",
      subjectId: person.id,
      payload: { userId: person.id, fingerprint: key.fingerprint },
    });
  });
}

export const ZRemoveKeyByFingerprint = z.object({ fingerprint: ZKeyFingerprint });

/** The API names a key by its fingerprint; the removal is the same. */
export async function removeKeyByFingerprint({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRemoveKeyByFingerprint>) {
  const person = requirePerson(actor);
  const { fingerprint } = ZRemoveKeyByFingerprint.parse(input);
  const key = await db.pgpKey.findFirst({
    where: { fingerprint, userId: person.id },
    select: { id: true },
  });
  if (!key) throw new AppError("NOT_FOUND", `The key ${fingerprint} is not one of your keys.`);
  await removeKey({ actor, keyId: key.id });
}
