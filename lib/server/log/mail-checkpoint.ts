import "server-only";
import { db, type Tx } from "../../db";
import { authorize, WORKER_ACTOR, type TActor } from "../../auth/actor";
import type { TAuditActor } from "../audit/append-event";
import { appendAuditEvent } from "../audit/append-event";
import { writeOutbox } from "../../jobs/outbox";
import { latestCheckpoint } from "./proofs";

/** Every system-log list, once: the witnesses the checkpoint is mailed to. */
export async function systemLogLists(client: Tx = db): Promise<string[]> {
  const rows = await client.targetSystem.findMany({
    where: { systemLogAddress: { not: null } },
    select: { systemLogAddress: true },
  });
  return [...new Set(rows.map((r) => r.systemLogAddress!))].sort();
}

type TQueued = { treeSize: number; to: string[]; outboxId: string } | null;

/**
 * Queues the current checkpoint's mail to every system-log list: an outbox row
 * (the worker signs and sends it) and its audit event, in one transaction. The
 * daily mail has one dedupe key per UTC day, so any number of sweeps that day
 * queue it once; an operator's mail is always queued. Null when there is no
 * list to mail, or today's mail is queued already.
 */
async function queueCheckpointMail(
  actor: TAuditActor,
  reason: "daily" | "operator",
  now: Date,
): Promise<TQueued> {
  const to = await systemLogLists();
  if (to.length === 0) return null;
  const dedupeKey =
    reason === "daily"
      ? `log-checkpoint:daily:${now.toISOString().slice(0, 10)}`
      : `log-checkpoint:operator:${now.toISOString()}`;
  if (await db.outbox.findUnique({ where: { dedupeKey }, select: { id: true } })) return null;
  const cp = await latestCheckpoint();
  return db.$transaction(async (tx) => {
    const row = await writeOutbox(
      tx,
      "log.checkpoint",
      { treeSize: String(cp.treeSize) },
      dedupeKey,
    );
    await appendAuditEvent(tx, {
      actor,
      action: "log.checkpoint-mailed",
      subjectType: "log",
      subjectId: String(cp.treeSize),
      payload: {
        treeSize: String(cp.treeSize),
        rootHash: Buffer.from(cp.rootHash).toString("base64"),
        to,
        reason,
      },
    });
    return { treeSize: cp.treeSize, to, outboxId: row.id };
  });
}

/** The worker's sweep: today's checkpoint mail, if not queued yet. */
export function sweepCheckpointMail(now = new Date()) {
  return queueCheckpointMail(WORKER_ACTOR, "daily", now);
}

/** `patchgate log checkpoint --mail`: the current checkpoint, mailed now. */
export function mailCheckpointNow({ actor, now = new Date() }: { actor: TActor; now?: Date }) {
  authorize(actor, "audit:read");
  return queueCheckpointMail(actor, "operator", now);
}
