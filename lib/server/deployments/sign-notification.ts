import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { verifyDetachedSignature } from "../../crypto/verify-signature";
import { micalgOf } from "../../mail/pgp-mime";
import { appendAuditEvent } from "../audit/append-event";
import { loadForSigning } from "./notification";
import { queueWorkerSteps } from "./queue-worker-steps";

export const ZSignNotification = z.object({
  patchId: cleanId(),
  signature: z.string().min(1, "Paste the detached signature (gpg --armor --detach-sign)."),
});

/** POST .../deployment/notification: the signature; the patch is in the URL. */
export const ZSignNotificationBody = z.object({
  signature: ZSignNotification.shape.signature.meta({
    description: "The ASCII-armored detached signature over the bytes GET returned.",
  }),
});

function refuse(message: string, reason: string): never {
  throw new AppError("SIGNATURE_REFUSED", message, { reason });
}

/**
 * P7: records the critical admin's detached signature over the notification's
 * MIME part, checked against their registered keys before anything is
 * written, and queues the worker steps: the worker sends exactly that part
 * with that signature, so the list's readers verify it against the admin's key.
 */
export async function signNotification({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZSignNotification>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const { patchId, signature } = ZSignNotification.parse(input);

  // Verified before the transaction: openpgp work never holds the patch lock.
  const { part, keys } = await db.$transaction((tx: Tx) => loadForSigning(tx, person, patchId));
  if (keys.length === 0)
    refuse("You have no registered key to sign the notification with.", "not-your-key");
  let signer: (typeof keys)[number] | null = null;
  for (const key of keys) {
    try {
      await verifyDetachedSignature({
        statement: part,
        armoredSignature: signature,
        armoredPublicKey: key.armored,
      });
      signer = key;
      break;
    } catch (e) {
      if ((e as AppError).details?.reason !== "wrong-key") throw e;
    }
  }
  if (!signer) refuse("The signature was not made by one of your registered keys.", "not-your-key");
  // The mail's micalg must name the hash; RFC 3156 readers refuse a multipart/signed without it.
  if (!(await micalgOf(signature.trim())))
    refuse("Sign with SHA-256 or a stronger hash (gpg --digest-algo SHA256).", "weak-hash");

  return db.$transaction(async (tx: Tx) => {
    const now = await loadForSigning(tx, person, patchId);
    if (now.part !== part)
      throw new AppError(
        "CONFLICT",
        "The notification changed while you signed it; fetch it again and sign the new text.",
      );
    const stored = await tx.deploymentNotification.create({
      data: {
        recordId: now.open.record.id,
        part,
        signature: signature.trim() + "\n",
        signerId: person.id,
        fingerprint: signer.fingerprint,
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "deployment.notification-signed",
      subjectType: "deployment",
      subjectId: now.open.record.id,
      payload: { patchId, fingerprint: signer.fingerprint, partSha256: sha256Hex(part) },
    });
    await queueWorkerSteps(tx, now.open.record.id, now.open.steps);
    return {
      deploymentId: now.open.record.id,
      fingerprint: stored.fingerprint,
      partSha256: sha256Hex(part),
      receivedAt: stored.receivedAt,
    };
  });
}
