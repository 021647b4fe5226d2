import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { mergeKeyUpdate } from "../../crypto/pgp-key-update";
import { appendAuditEvent } from "../audit/append-event";
import { ZKeyFingerprint } from "./signing-key";
import { keyEntry } from "./key-entry";

export const ZUpdateKey = z.object({
  fingerprint: ZKeyFingerprint,
  armored: z
    .string()
    .min(1, "Paste the updated public key or the revocation certificate")
    .max(64 * 1024),
});

/**
 * The owner of a registered key sends an updated certificate or a revocation
 * certificate: merged into the stored key, with the revocation's creation time
 * and reason. From `revokedAt` on the key's signatures are refused; statements
 * received before it keep counting. A revocation, once stored, stays.
 */
export async function updateKey({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZUpdateKey>) {
  const person = requirePerson(actor);
  const { fingerprint, armored } = ZUpdateKey.parse(input);
  const now = new Date();
  const found = await db.pgpKey.findUnique({ where: { fingerprint } });
  if (!found || found.userId !== person.id)
    throw new AppError("NOT_FOUND", `The key ${fingerprint} is not one of your keys.`);
  // openpgp work outside the transaction; the update below is guarded on the key as read.
  const merged = await mergeKeyUpdate(found.armored, armored, now);

  // A revocation, once stored, stays: a later update cannot move or drop it.
  const revocation = found.revokedAt
    ? { revokedAt: found.revokedAt, reason: found.revocationReason ?? "" }
    : merged.revocation;
  return db.$transaction(async (tx: Tx) => {
    // Guarded on the key as read: two updates racing cannot lose one another's signatures.
    const { count } = await tx.pgpKey.updateMany({
      where: { id: found.id, armored: found.armored },
      data: {
        armored: merged.armored,
        // A key whose self-certifications no longer verify keeps the user IDs it was registered with.
        userIds: merged.userIds.length ? merged.userIds : found.userIds,
        expiresAt: merged.expiresAt,
        revokedAt: revocation?.revokedAt ?? null,
        revocationReason: revocation?.reason ?? null,
      },
    });
    if (count === 0)
      throw new AppError("CONFLICT", "The key changed meanwhile; send the material again.");
    const row = await tx.pgpKey.findUniqueOrThrow({ where: { id: found.id } });
    if (revocation && !found.revokedAt) {
      await appendAuditEvent(tx, {
        actor: person,
        action: "key.revoked",
        subjectType: "user",
        subjectId: person.id,
        payload: {
          userId: person.id,
          fingerprint,
          revokedAt: revocation.revokedAt.toISOString(),
          reason: revocation.reason,
        },
      });
    } else {
      await appendAuditEvent(tx, {
        actor: person,
        action: "key.updated",
        subjectType: "user",
        subjectId: person.id,
        payload: {
          userId: person.id,
          fingerprint,
          expiresAt: row.expiresAt?.toISOString() ?? null,
          userIds: row.userIds,
        },
      });
    }
    return keyEntry(row);
  });
}
