import { db, type Tx } from "../../lib/db";
import { WORKER_ACTOR } from "../../lib/auth/actor";
import { modeName } from "../../lib/domain/package-statements";
import { appendAuditEvent } from "../../lib/server/audit/append-event";
import { onceAfter } from "../effects";
import { webhookSignature } from "../tracker/webhook";
import { PermanentError, type THandler } from "./context";

// The post-update event (U5): once an update record completes, the worker
// POSTs a JSON body to the installation's post-update URL, signed like the
// tracker webhook (HMAC-SHA256 over timestamp + "." + body), and records the
// answer on the update record. Retried with backoff on any non-2xx answer;
// a receipt makes a run after a success call nobody again.

export const NOT_CONFIGURED = "no post-update event configured";
const ANSWER_MAX = 2000;
const READ_MAX = 64 * 1024;

type TAnswer = { url: string; status: number | null; answer: string };

const receiptKey = (updateId: string) => `package:post-update:${updateId}`;

async function loadUpdate(updateId: string) {
  const u = await db.packageUpdate.findUnique({
    where: { id: updateId },
    include: {
      installation: true,
      package: {
        select: {
          id: true,
          fileName: true,
          sha256: true,
          contentSha256: true,
          signerSubject: true,
          signerIssuer: true,
          signerNotAfter: true,
        },
      },
    },
  });
  if (!u) throw new PermanentError(`update record ${updateId} does not exist`);
  if (u.state !== "COMPLETED" || !u.completedAt)
    throw new PermanentError(`update record ${updateId} is not completed`);
  return u;
}

export type TPostUpdateBody = ReturnType<typeof postUpdateBody>;

/** The event's body: what was installed where, how, and when. */
export function postUpdateBody(u: Awaited<ReturnType<typeof loadUpdate>>, deliveryId: string) {
  const p = u.package;
  return {
    event: "package.updated" as const,
    deliveryId,
    updateId: u.id,
    installation: {
      slug: u.installation.slug,
      name: u.installation.name,
      product: u.installation.product,
      enterprise: u.installation.enterprise,
    },
    package: {
      id: p.id,
      fileName: p.fileName,
      sha256: p.sha256,
      contentSha256: p.contentSha256,
      signer: {
        subject: p.signerSubject,
        issuer: p.signerIssuer,
        notAfter: p.signerNotAfter?.toISOString() ?? null,
      },
    },
    mode: modeName(u.mode),
    completedAt: u.completedAt!.toISOString(),
  };
}

/** Writes the answer on the update record and its audit event, in one transaction. */
async function record(tx: Tx, updateId: string, packageId: string, a: TAnswer) {
  await tx.packageUpdate.update({
    where: { id: updateId },
    data: { postUpdateStatus: a.status, postUpdateAnswer: a.answer, postUpdateAt: new Date() },
  });
  await appendAuditEvent(tx, {
    actor: WORKER_ACTOR,
    action: "package.post-update-called",
    subjectType: "package",
    subjectId: packageId,
    payload: { updateId, url: a.url, status: a.status },
  });
}

async function call(
  url: string,
  secret: string,
  body: string,
  deliveryId: string,
  timeoutMs: number,
) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-patchgate-event": "package.updated",
      "x-patchgate-timestamp": timestamp,
      "x-patchgate-signature": webhookSignature(secret, timestamp, body),
      // The same id on every retry: a receiver can drop a repeated delivery.
      "x-patchgate-delivery": deliveryId,
    },
    body,
    // A redirect (to another host, perhaps) is never followed: it would carry the signed event there.
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = (await res.text()).slice(0, READ_MAX);
  return { status: res.status, answer: text.slice(0, ANSWER_MAX) };
}

export const callPostUpdate: THandler<"package.post-update"> = async (
  ctx,
  outboxId,
  { updateId },
) => {
  const u = await loadUpdate(updateId);
  const url = u.installation.postUpdateUrl;
  let a: TAnswer;
  if (!url) a = { url: "", status: null, answer: NOT_CONFIGURED };
  else {
    const protocol = URL.canParse(url) ? new URL(url).protocol : null;
    if (protocol !== "http:" && protocol !== "https:")
      throw new PermanentError(
        `the post-update URL of ${u.installation.slug} is not an http or https URL: ${url}`,
      );
    const envName = u.installation.postUpdateSecretEnv;
    if (!envName)
      throw new PermanentError(
        `installation ${u.installation.slug} has a post-update URL but no secret: patchgate installation set ${u.installation.slug} --post-update-secret-env <NAME>`,
      );
    const secret = ctx.secret(envName);
    if (!secret)
      throw new PermanentError(
        `the environment variable ${envName} (the post-update secret of ${u.installation.slug}) is not set`,
      );
    const body = JSON.stringify(postUpdateBody(u, outboxId));
    a = await onceAfter<TAnswer>(receiptKey(updateId), outboxId, async () => {
      let r: { status: number; answer: string };
      try {
        r = await call(url, secret, body, outboxId, ctx.timeoutMs);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        await db.$transaction((tx: Tx) =>
          record(tx, updateId, u.packageId, { url, status: null, answer: message }),
        );
        throw new Error(`post-update event to ${new URL(url).origin} failed: ${message}`);
      }
      if (r.status < 200 || r.status >= 300) {
        await db.$transaction((tx: Tx) => record(tx, updateId, u.packageId, { url, ...r }));
        const what = `post-update event to ${new URL(url).origin}${new URL(url).pathname} answered ${r.status}`;
        if (r.status >= 300 && r.status < 400)
          throw new PermanentError(`${what}: redirects are not followed`);
        throw new Error(`${what}: ${r.answer.slice(0, 300)}`);
      }
      return { url, ...r };
    });
  }
  // The answer, its audit event and the outbox row together; a second run finds the row DONE.
  await db.$transaction(async (tx: Tx) => {
    const { count } = await tx.outbox.updateMany({
      where: { id: outboxId, state: { not: "DONE" } },
      data: { state: "DONE", doneAt: new Date(), lastError: null },
    });
    if (count === 0) return;
    await record(tx, updateId, u.packageId, a);
  });
};
