import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { HEARTBEAT_ID } from "../../jobs/heartbeat-id";

export const WORKER_STALE_AFTER_MS = 60_000;

/** The outbox's rows (outbox:manage): failed first, then the newest, at most 200. */
export async function listOutboxRows({
  actor,
  state,
}: {
  actor: TActor;
  state?: "PENDING" | "DONE" | "FAILED";
}) {
  authorize(actor, "outbox:manage");
  return db.outbox.findMany({
    where: state ? { state } : {},
    orderBy: [{ state: "asc" }, { createdAt: "desc" }],
    take: 200,
  });
}

/** The outbox as admins see it: failed rows first, then the newest; and whether the worker is alive. */
export async function listOutbox({
  actor,
  state,
}: {
  actor: TActor;
  state?: "PENDING" | "DONE" | "FAILED";
}) {
  authorize(actor, "outbox:manage"); // before any query runs, not inside the Promise.all
  const [rows, counts, heartbeat] = await Promise.all([
    listOutboxRows({ actor, state }),
    db.outbox.groupBy({ by: ["state"], _count: true }),
    db.workerHeartbeat.findUnique({ where: { id: HEARTBEAT_ID } }),
  ]);
  return {
    rows,
    counts: Object.fromEntries(counts.map((c) => [c.state, c._count])) as Partial<
      Record<"PENDING" | "DONE" | "FAILED", number>
    >,
    worker: workerStatus(heartbeat?.beatAt ?? null),
  };
}

export function workerStatus(beatAt: Date | null, now = Date.now()) {
  return {
    beatAt,
    status:
      beatAt && now - beatAt.getTime() < WORKER_STALE_AFTER_MS
        ? ("ok" as const)
        : ("stale" as const),
  };
}
