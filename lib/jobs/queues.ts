import { z } from "zod";
import type { JobsOptions } from "bullmq";

// One queue for every outbox kind: the job name is the kind, the job id the
// outbox row's id, the data nothing but that id (handlers reload the rest).
export const OUTBOX_QUEUE = "outbox";
/** The sweep runs as a repeatable job on its own queue. */
export const SWEEP_QUEUE = "outbox-sweep";

export const ZOutboxJob = z.object({ outboxId: z.string().min(1).max(64) }).strict();
export type TOutboxJob = z.infer<typeof ZOutboxJob>;

export type TRetryPolicy = {
  /** Tries of an effect that fails (its peer answered "no", or a bug). */
  attempts: number;
  /** The first delay between tries and waits; it doubles each time. */
  backoffMs: number;
  /** The longest delay between two tries or two looks at a waiting effect. */
  backoffMaxMs?: number;
  /** How long an effect may wait (for another effect, or an unreachable peer) before it is FAILED. */
  waitMaxMs?: number;
};

// 8 tries, 2 s doubling: the last try is about 4 minutes after the first, long
// enough to ride out an SMTP or tracker restart. Waiting (docs/workers.md) spends
// none of them: an effect may wait up to 3 days, looking again every 5 minutes at most.
export const DEFAULT_RETRY: TRetryPolicy = {
  attempts: 8,
  backoffMs: 2_000,
  backoffMaxMs: 5 * 60_000,
  waitMaxMs: 72 * 3_600_000,
};

/** The custom backoff type the worker computes (runtime.ts): doubling, capped at backoffMaxMs. */
export const OUTBOX_BACKOFF = "outbox-capped";

export function outboxJobOptions(
  outboxId: string,
  retry: TRetryPolicy = DEFAULT_RETRY,
): JobsOptions {
  return {
    jobId: outboxId,
    attempts: retry.attempts,
    backoff: { type: OUTBOX_BACKOFF, delay: retry.backoffMs },
    // The outbox row is the durable record; Redis keeps only what is in flight,
    // so a later re-enqueue (sweep, admin retry) is not swallowed by an old job.
    removeOnComplete: true,
    removeOnFail: true,
  };
}
