import { db, type Tx } from "../lib/db";
import { WORKER_ACTOR } from "../lib/auth/actor";
import { appendAuditEvent } from "../lib/server/audit/append-event";
import type { TJson } from "./effects";

export type TStepTick = { deploymentId: string; number: number; evidence: TJson };

/**
 * Marks the outbox row DONE and, for a worker step, ticks the step with its
 * evidence, in one transaction with the audit events. When that was the last
 * applicable step the deployment record is COMPLETED. Guarded updates make a
 * duplicate run change nothing and write no second event.
 */
export async function completeOutbox(outboxId: string, tick?: TStepTick): Promise<void> {
  await db.$transaction(async (tx: Tx) => {
    await tx.outbox.updateMany({
      where: { id: outboxId, state: { not: "DONE" } },
      data: {
        state: "DONE",
        doneAt: new Date(),
        lastError: null,
        waitingFor: null,
        waitingSince: null,
      },
    });
    if (!tick) return;
    const record = await tx.deploymentRecord.findUniqueOrThrow({
      where: { id: tick.deploymentId },
      select: { id: true, patchId: true, state: true },
    });
    const { count } = await tx.deploymentStep.updateMany({
      where: { recordId: record.id, number: tick.number, status: "PENDING", applicable: true },
      data: { status: "DONE", doneAt: new Date(), evidence: tick.evidence },
    });
    if (count === 0) return;
    await appendAuditEvent(tx, {
      actor: WORKER_ACTOR,
      action: "deployment.step",
      subjectType: "deployment",
      subjectId: record.id,
      payload: { patchId: record.patchId, number: tick.number, status: "DONE" },
    });
    const open = await tx.deploymentStep.count({
      where: { recordId: record.id, applicable: true, status: { not: "DONE" } },
    });
    if (open > 0) return;
    const closed = await tx.deploymentRecord.updateMany({
      where: { id: record.id, state: "OPEN" },
      data: { state: "COMPLETED", closedAt: new Date() },
    });
    if (closed.count === 0) return;
    await appendAuditEvent(tx, {
      actor: WORKER_ACTOR,
      action: "deployment.state",
      subjectType: "deployment",
      subjectId: record.id,
      payload: { patchId: record.patchId, from: "OPEN", to: "COMPLETED" },
    });
  });
}
