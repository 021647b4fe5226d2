import { z } from "zod";
import type { Tx } from "../db";

// Side effects leave through the outbox: a row written in the same transaction
// as the change that causes it, turned into a BullMQ job (job id = row id) by
// the dispatcher. Payloads carry ids only; handlers reload everything.
export const OUTBOX_KINDS = {
  "deployment.notify": z.object({ deploymentId: z.string() }),
  "deployment.bug-update": z.object({ deploymentId: z.string() }),
  "deployment.reply": z.object({ deploymentId: z.string() }),
  "deployment.mirror": z.object({ deploymentId: z.string() }),
  "patch.apply-failed": z.object({ deploymentId: z.string() }),
  // Emergencies (E1–E3, E7): every team told at once, escalation at the clock's marks, reminders.
  "emergency.declared": z.object({ emergencyId: z.string() }),
  "emergency.escalation": z.object({ emergencyId: z.string(), hoursBefore: z.number() }),
  "emergency.reminder": z.object({ emergencyId: z.string(), team: z.string() }),
  // Option 1 (E3): a tester's result as a note on the patch's bug; the 2nd review forwarding the
  // patch to the critical team; the deadline passed; a false alarm closed (E1).
  "emergency.test-result": z.object({ moveId: z.string() }),
  "emergency.forwarded": z.object({ emergencyId: z.string() }),
  "emergency.deadline": z.object({ emergencyId: z.string() }),
  "emergency.closed": z.object({ emergencyId: z.string() }),
  "dispute.filed": z.object({ disputeId: z.string() }),
  "dispute.ruled": z.object({ disputeId: z.string() }),
  // The owner hears of a lock-out once, when the 10th consecutive failure locks the account.
  "user.sign-in-locked": z.object({ userId: z.string(), auditSeq: z.string() }),
  // An account made in the portal: the one-time link to choose a password (the worker makes it).
  "user.password-link": z.object({ setupId: z.string() }),
  // Update packages (U3, U5): a trusted certificate's expiry warning at one mark (90, 30 or 7
  // days), mailed signed to the installation's admins; the post-update event of a completed update.
  "certificate.expiry": z.object({ certificateId: z.string(), mark: z.number().int() }),
  "package.post-update": z.object({ updateId: z.string() }),
  // Release updates (S3): the worker's HTTPS check of apache or nginx; a signed
  // verification's comment to the bug tracker (MantisBT note or webhook), once.
  "update.https-check": z.object({ checkId: z.string() }),
  "update.verification-comment": z.object({ signoffId: z.string() }),
  // Issue #16: a signed checkpoint mailed to every system-log list (the lists' archives witness it).
  "log.checkpoint": z.object({ treeSize: z.string() }),
} as const;

export type TOutboxKind = keyof typeof OUTBOX_KINDS;
export type TOutboxPayload<K extends TOutboxKind> = z.infer<(typeof OUTBOX_KINDS)[K]>;

/** Writes an outbox row; the dedupe key makes a repeated write of the same effect a no-op. */
export async function writeOutbox<K extends TOutboxKind>(
  tx: Tx,
  kind: K,
  payload: TOutboxPayload<K>,
  dedupeKey: string,
) {
  const data = OUTBOX_KINDS[kind].parse(payload);
  return tx.outbox.upsert({
    where: { dedupeKey },
    create: { kind, payload: data, dedupeKey },
    update: {},
  });
}
