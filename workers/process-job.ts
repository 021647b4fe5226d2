import { UnrecoverableError, type Job } from "bullmq";
import { db } from "../lib/db";
import { describeZodIssues } from "../lib/errors";
import { OUTBOX_KINDS, type TOutboxKind } from "../lib/jobs/outbox";
import { ZOutboxJob } from "../lib/jobs/queues";
import { HANDLERS } from "./handlers";
import { PermanentError, type THandler, type THandlerCtx } from "./handlers/context";

function isKind(kind: string): kind is TOutboxKind {
  return Object.hasOwn(OUTBOX_KINDS, kind);
}

async function fail(outboxId: string, message: string, final: boolean) {
  await db.outbox.updateMany({
    where: { id: outboxId, state: { not: "DONE" } },
    data: { lastError: message.slice(0, 2000), ...(final ? { state: "FAILED" } : {}) },
  });
}

/**
 * Runs one outbox job. Bad job data or a bad row fails at once (no retry can
 * fix it); a handler's error is recorded on the row and retried with backoff,
 * and after the last attempt the row is FAILED for an admin to see and retry.
 */
export async function processOutboxJob(ctx: THandlerCtx, job: Job): Promise<string> {
  const data = ZOutboxJob.safeParse(job.data);
  if (!data.success)
    throw new UnrecoverableError(`bad job data: ${describeZodIssues(data.error.issues)}`);
  const { outboxId } = data.data;

  const row = await db.outbox.findUnique({ where: { id: outboxId } });
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

  await db.outbox.update({ where: { id: outboxId }, data: { attempts: { increment: 1 } } });
  try {
    await (handler as THandler<typeof row.kind>)(ctx, outboxId, payload.data as never);
    return "done";
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const permanent = e instanceof PermanentError;
    const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await fail(outboxId, message, last);
    ctx.log.warn(
      { outboxId, kind: row.kind, attempt: job.attemptsMade + 1, final: last, err: message },
      "outbox job failed",
    );
    if (permanent) throw new UnrecoverableError(message);
    throw e;
  }
}
