import type { Queue } from "bullmq";
import { db } from "../db";
import { outboxJobOptions, type TOutboxJob, type TRetryPolicy, DEFAULT_RETRY } from "./queues";

export type TDispatchOptions = {
  /** Re-enqueue PENDING rows enqueued longer ago than this (the sweep); without it, only rows never enqueued. */
  staleAfterMs?: number;
  retry?: TRetryPolicy;
  limit?: number;
};

/**
 * Turns PENDING outbox rows into jobs. The job id is the row id, so enqueueing
 * a row whose job is still waiting, delayed or active is a no-op: the sweep can
 * run as often as it likes, on as many workers as there are.
 */
export async function dispatchOutbox(
  queue: Queue<TOutboxJob>,
  opts: TDispatchOptions = {},
): Promise<number> {
  const stale =
    opts.staleAfterMs === undefined ? undefined : new Date(Date.now() - opts.staleAfterMs);
  const rows = await db.outbox.findMany({
    where: {
      state: "PENDING",
      OR: stale ? [{ enqueuedAt: null }, { enqueuedAt: { lt: stale } }] : [{ enqueuedAt: null }],
    },
    orderBy: { createdAt: "asc" },
    take: opts.limit ?? 500,
    select: { id: true, kind: true },
  });
  if (rows.length === 0) return 0;
  await queue.addBulk(
    rows.map((row) => ({
      name: row.kind,
      data: { outboxId: row.id },
      opts: outboxJobOptions(row.id, opts.retry ?? DEFAULT_RETRY),
    })),
  );
  // Marked after the jobs exist: a crash in between only means one more (no-op) enqueue.
  await db.outbox.updateMany({
    where: { id: { in: rows.map((r) => r.id) }, state: "PENDING" },
    data: { enqueuedAt: new Date() },
  });
  return rows.length;
}
