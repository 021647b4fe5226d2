import { Queue, Worker } from "bullmq";
import { dispatchOutbox } from "../lib/jobs/dispatch";
import { producerConnection, workerConnection } from "../lib/jobs/connection";
import {
  OUTBOX_QUEUE,
  SWEEP_QUEUE,
  DEFAULT_RETRY,
  type TOutboxJob,
  type TRetryPolicy,
} from "../lib/jobs/queues";
import type { THandlerCtx } from "./handlers/context";
import { processOutboxJob } from "./process-job";
import { closeTransports } from "./mail/transport";
import { sweepEscalations } from "../lib/server/emergencies/sweep-escalations";
import { sweepCertificateExpiry } from "../lib/server/updates/certificate-expiry";
import { newInboxState, scanInbox } from "../lib/server/updates/inbox";
import { sweepCheckpointMail } from "../lib/server/log/mail-checkpoint";

export type TRuntimeOptions = {
  redisUrl: string;
  prefix: string;
  ctx: THandlerCtx;
  retry?: TRetryPolicy;
  concurrency?: number;
  /** How often fresh outbox rows are picked up. */
  dispatchEveryMs?: number;
  /** The repeatable sweep: rows enqueued longer ago than staleAfterMs and still PENDING are enqueued again. */
  sweepEveryMs?: number;
  staleAfterMs?: number;
  /** BullMQ's job lock and stalled-check interval: a job of a killed worker runs again within about two of these. */
  lockMs?: number;
  /** The update packages' drop directory (U1) and how often it is polled. */
  inbox?: { dir: string; everyMs: number };
};

/**
 * The outbox machinery of one worker process: a poll that turns new outbox
 * rows into jobs, a repeatable sweep job for rows whose job got lost (Redis
 * flushed or restarted without its data), and the worker running the handlers.
 */
export async function startRuntime(o: TRuntimeOptions) {
  const log = o.ctx.log;
  const retry = o.retry ?? DEFAULT_RETRY;
  const producer = producerConnection(o.redisUrl);
  const queue = new Queue<TOutboxJob>(OUTBOX_QUEUE, { connection: producer, prefix: o.prefix });
  const sweepQueue = new Queue(SWEEP_QUEUE, { connection: producer, prefix: o.prefix });
  queue.on("error", (err) => log.warn({ err: err.message }, "outbox queue error"));
  sweepQueue.on("error", (err) => log.warn({ err: err.message }, "sweep queue error"));

  const worker = new Worker(OUTBOX_QUEUE, (job) => processOutboxJob(o.ctx, job), {
    connection: workerConnection(o.redisUrl),
    prefix: o.prefix,
    concurrency: o.concurrency ?? 4,
    ...(o.lockMs ? { lockDuration: o.lockMs, stalledInterval: o.lockMs } : {}),
  });
  worker.on("error", (err) => log.error({ err: err.message }, "outbox worker error"));
  worker.on("failed", (job, err) =>
    log.warn({ jobId: job?.id, kind: job?.name, err: err.message }, "outbox job attempt failed"),
  );

  // The same repeatable job owes the emergencies' escalation notices and reminders (E2, E3).
  const sweeper = new Worker(
    SWEEP_QUEUE,
    async () => {
      await sweepEscalations();
      // U3: trusted certificates' expiry warnings at 90, 30 and 7 days.
      await sweepCertificateExpiry();
      // Issue #16: the day's checkpoint to every system-log list (once per UTC day).
      await sweepCheckpointMail();
      return dispatchOutbox(queue, { staleAfterMs: o.staleAfterMs ?? 5 * 60_000, retry });
    },
    {
      connection: workerConnection(o.redisUrl),
      prefix: o.prefix,
    },
  );
  sweeper.on("error", (err) => log.error({ err: err.message }, "sweep worker error"));
  const installSweep = () =>
    sweepQueue
      .upsertJobScheduler("outbox-sweep", { every: o.sweepEveryMs ?? 60_000 }, { name: "sweep" })
      .catch((err: Error) => log.warn({ err: err.message }, "sweep scheduler not installed yet"));
  await installSweep();
  // The scheduler lives in Redis: one restarted without its data forgets it, and
  // with it the jobs the sweep exists to bring back. Installed again on every reconnect.
  producer.on("ready", () => void installSweep());

  let dispatching = false;
  const dispatchOnce = async () => {
    if (dispatching) return;
    dispatching = true;
    try {
      await dispatchOutbox(queue, { retry });
    } catch (err) {
      // Redis or Postgres away: the rows stay PENDING and the next tick tries again.
      log.warn({ err: (err as Error).message }, "dispatch failed");
    } finally {
      dispatching = false;
    }
  };
  void dispatchOnce();
  const timer = setInterval(() => void dispatchOnce(), o.dispatchEveryMs ?? 1_000);

  // U1: the drop directory, polled (not fs.watch: network shares and restarts lose events).
  const inboxState = newInboxState();
  let scanning: Promise<unknown> | null = null;
  const scanOnce = () => {
    if (!o.inbox || scanning) return;
    scanning = scanInbox({ dir: o.inbox.dir, state: inboxState, log })
      .catch((err: Error) => log.warn({ err: err.message }, "update inbox scan failed"))
      .finally(() => (scanning = null));
  };
  scanOnce();
  const inboxTimer = o.inbox ? setInterval(scanOnce, o.inbox.everyMs) : null;

  return {
    queue,
    worker,
    dispatchOnce,
    async close() {
      clearInterval(timer);
      if (inboxTimer) clearInterval(inboxTimer);
      await scanning;
      // Lets the running jobs finish; jobs not finished stay in Redis for the next start.
      await Promise.allSettled([worker.close(), sweeper.close()]);
      await Promise.allSettled([queue.close(), sweepQueue.close()]);
      producer.disconnect();
      closeTransports();
    },
  };
}
