import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { db } from "../lib/db";
import { describeZodIssues } from "../lib/errors";
import { OUTBOX_KINDS, type TOutboxKind } from "../lib/jobs/outbox";
import { DEFAULT_RETRY, ZOutboxJob, type TRetryPolicy } from "../lib/jobs/queues";
import { unreachableReason, waitDelayMs } from "../lib/domain/unreachable";
import { isDatabaseUnavailable } from "../lib/server/prisma-errors";
import { HANDLERS } from "./handlers";
import { NotReadyError, PermanentError, type THandler, type THandlerCtx } from "./handlers/context";

function isKind(kind: string): kind is TOutboxKind {
  return Object.hasOwn(OUTBOX_KINDS, kind);
}

async function fail(outboxId: string, message: string, final: boolean) {
  await db.outbox.updateMany({
    where: { id: outboxId, state: { not: "DONE" } },
    data: {
      lastError: message.slice(0, 2000),
      waitingFor: null,
      ...(final ? { state: "FAILED" as const, waitingSince: null } : {}),
    },
  });
}

// Whom an effect of each kind talks to, for "waiting for the mail server to answer".
const PEER: Partial<Record<TOutboxKind, string>> = {
  "deployment.bug-update": "the bug tracker",
  "update.verification-comment": "the bug tracker",
  "deployment.mirror": "the test servers (SFTP)",
  "package.post-update": "the post-update URL",
  "update.https-check": "the HTTPS host",
};

/** What the effect waits for, when the error is a wait and not a failure; null otherwise. */
function waitOf(e: unknown, kind: TOutboxKind): { waitingFor: string; tried: boolean } | null {
  if (e instanceof NotReadyError) return { waitingFor: e.waitingFor, tried: false };
  if (isDatabaseUnavailable(e))
    return { waitingFor: "the database to be reachable again", tried: false };
  const reason = unreachableReason(e);
  if (reason)
    return { waitingFor: `${PEER[kind] ?? "the mail server"} to answer (${reason})`, tried: true };
  return null;
}

const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 10) / 10} h`;

/**
 * Runs one outbox job. Bad job data or a bad row fails at once (no retry can
 * fix it); a handler's error is recorded on the row and retried with backoff,
 * and after the last attempt the row is FAILED for an admin to see and retry.
 *
 * A wait is not an error: an effect whose prerequisite has not happened yet
 * (NotReadyError), or whose peer or database cannot be reached, is put back
 * in the queue with a delay (BullMQ's moveToDelayed + DelayedError), spending
 * none of its attempts, and its row says what it waits for. It waits up to
 * retry.waitMaxMs, then it is FAILED like any other.
 */
export async function processOutboxJob(
  ctx: THandlerCtx,
  job: Job,
  token?: string,
  retry: TRetryPolicy = DEFAULT_RETRY,
): Promise<string> {
  const data = ZOutboxJob.safeParse(job.data);
  if (!data.success)
    throw new UnrecoverableError(`bad job data: ${describeZodIssues(data.error.issues)}`);
  const { outboxId } = data.data;

  let row;
  try {
    row = await db.outbox.findUnique({ where: { id: outboxId } });
  } catch (e) {
    // The database is away: look again later, spending nothing (there is no row to tell).
    if (token && isDatabaseUnavailable(e)) return waitInQueue(job, token, retry);
    throw e;
  }
  if (!row) throw new UnrecoverableError(`outbox row ${outboxId} does not exist`);
  if (row.state === "DONE") return "already done";
  const handler = isKind(row.kind) ? HANDLERS[row.kind] : undefined;
  if (!isKind(row.kind) || !handler) {
    await fail(outboxId, `no handler for kind ${row.kind}`, true);
    throw new UnrecoverableError(`no handler for kind ${row.kind}`);
  }
  const payload = OUTBOX_KINDS[row.kind].safeParse(row.payload);
  if (!payload.success) {
    const message = `bad outbox payload: ${describeZodIssues(payload.error.issues)}`;
    await fail(outboxId, message, true);
    throw new UnrecoverableError(message);
  }

  let counted = false;
  try {
    await db.outbox.update({ where: { id: outboxId }, data: { attempts: { increment: 1 } } });
    counted = true;
    await (handler as THandler<typeof row.kind>)(ctx, outboxId, payload.data as never);
    return "done";
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const wait = token ? waitOf(e, row.kind) : null;
    const since = row.waitingSince ?? new Date();
    const waitMaxMs = retry.waitMaxMs ?? DEFAULT_RETRY.waitMaxMs!;
    if (wait && Date.now() - since.getTime() < waitMaxMs) {
      await db.outbox
        .updateMany({
          where: { id: outboxId, state: { not: "DONE" } },
          data: {
            waitingFor: wait.waitingFor.slice(0, 2000),
            waitingSince: since,
            lastError: null,
            // Nothing was tried: the attempt counted above did not happen.
            ...(wait.tried || !counted ? {} : { attempts: { decrement: 1 } }),
          },
        })
        // The database itself may be what is away; the job waits all the same.
        .catch(() => undefined);
      ctx.log.info({ outboxId, kind: row.kind, waitingFor: wait.waitingFor }, "outbox job waits");
      return waitInQueue(job, token!, retry);
    }
    const permanent = e instanceof PermanentError;
    const last = permanent || wait !== null || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const recorded = wait
      ? `gave up after waiting ${hours(Date.now() - since.getTime())} for ${wait.waitingFor}`
      : message;
    await fail(outboxId, recorded, last);
    ctx.log.warn(
      { outboxId, kind: row.kind, attempt: job.attemptsMade + 1, final: last, err: recorded },
      "outbox job failed",
    );
    if (permanent || wait) throw new UnrecoverableError(recorded);
    throw e;
  }
}

/**
 * Puts the active job back as delayed without counting an attempt (BullMQ's
 * documented pattern: moveToDelayed, then throw DelayedError so the worker
 * leaves the job where it now is). The delay doubles with each wait, capped.
 */
async function waitInQueue(job: Job, token: string, retry: TRetryPolicy): Promise<never> {
  // attemptsStarted counts every start, attemptsMade only the spent tries: the rest are waits.
  const waits = Math.max(0, (job.attemptsStarted ?? 0) - job.attemptsMade - 1);
  const delay = waitDelayMs(
    waits,
    retry.backoffMs,
    retry.backoffMaxMs ?? DEFAULT_RETRY.backoffMaxMs!,
  );
  await job.moveToDelayed(Date.now() + delay, token);
  throw new DelayedError();
}
