import "server-only";
import type { Tx } from "../../db";
import { STEPS, type TStepFact } from "../../domain/procedures";
import { writeOutbox, type TOutboxKind } from "../../jobs/outbox";

const WORKER_OUTBOX: Record<number, TOutboxKind> = {
  10: "deployment.notify",
  11: "deployment.bug-update",
  12: "deployment.reply",
  13: "deployment.mirror",
};

/**
 * Queues the worker steps (notification, bug update, reply, mirroring) that
 * apply to this record, once each (the dedupe key is the kind and the record).
 * Called when the critical admin's signature on the notification is recorded:
 * the hand steps are done and the worker has the signed mail to send (P7).
 */
export async function queueWorkerSteps(tx: Tx, recordId: string, steps: readonly TStepFact[]) {
  for (const s of steps.filter((s) => STEPS[s.number - 1].byWorker && s.applicable)) {
    const kind = WORKER_OUTBOX[s.number];
    await writeOutbox(tx, kind, { deploymentId: recordId }, `${kind}:${recordId}`);
  }
}
