import "server-only";
import type { Tx } from "../../db";
import type { TActor } from "../../auth/actor";
import type { TParsedPublicKey } from "../../crypto/pgp-keys";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";

/** Stores a parsed key for a user inside the caller's transaction. */
export async function insertKey(tx: Tx, actor: TActor, userId: string, key: TParsedPublicKey) {
  const taken = await tx.pgpKey.findUnique({
    where: { fingerprint: key.fingerprint },
    select: { userId: true },
  });
  if (taken) {
    throw new AppError(
      "KEY_REFUSED",
      taken.userId === userId
        ? `You have already registered the key ${key.fingerprint}.`
        : `The key ${key.fingerprint} is already registered to another account; a key belongs to one person.`,
      { reason: "duplicate" },
    );
  }
  const row = await tx.pgpKey.create({
    data: {
      userId,
      fingerprint: key.fingerprint,
      algorithm: key.algorithm,
      armored: key.armored,
      userIds: key.userIds,
      keyCreatedAt: key.keyCreatedAt,
      expiresAt: key.expiresAt,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "key.registered",
    subjectType: "user",
    subjectId: userId,
    payload: { userId, fingerprint: key.fingerprint, algorithm: key.algorithm },
  });
  return row;
}
