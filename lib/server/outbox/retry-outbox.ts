import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";

export const ZRetryOutbox = z.object({ outboxId: cleanId().trim() });

/**
 * An admin sends a FAILED outbox row round again (after fixing what its error
 * named). The row goes back to PENDING with fresh attempts; the worker's
 * dispatcher picks it up. Effects already done stay done (their receipts).
 */
export async function retryOutbox({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRetryOutbox>) {
  authorize(actor, "outbox:manage");
  const { outboxId } = ZRetryOutbox.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const row = await tx.outbox.findUnique({ where: { id: outboxId } });
    if (!row) throw new AppError("NOT_FOUND", "No such outbox row.");
    const { count } = await tx.outbox.updateMany({
      where: { id: outboxId, state: "FAILED" },
      data: { state: "PENDING", attempts: 0, enqueuedAt: null },
    });
    if (count === 0)
      throw new AppError(
        "CONFLICT",
        "Only a failed row can be retried; this one is not failed (any more).",
      );
    await appendAuditEvent(tx, {
      actor,
      action: "outbox.retried",
      subjectType: "outbox",
      subjectId: outboxId,
      payload: { kind: row.kind, attempts: row.attempts, lastError: row.lastError },
    });
    return { id: outboxId, state: "PENDING" as const };
  });
}
