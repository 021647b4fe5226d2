import { db, type Tx } from "../../lib/db";
import { WORKER_ACTOR } from "../../lib/auth/actor";
import { probeHttps, type TProbeResult } from "../../lib/net/https-probe";
import { appendAuditEvent } from "../../lib/server/audit/append-event";
import { isHttpsHostAllowed } from "../../lib/server/release-updates/allowed-hosts";
import { completeOutbox } from "../complete-outbox";
import { PermanentError, type THandler } from "./context";

// S3: the worker's HTTPS check of apache or nginx. The host must still be on
// the allow-list when the job runs (an admin may have removed it since the
// request); the probe is a TLS handshake only. Retry-safe: a CHECKED check is
// never checked again, and the result, its audit event and the outbox row are
// written together.

export const DEFAULT_HTTPS_CHECK_TIMEOUT_MS = 10_000;
export const HOST_REMOVED = "host removed from the allow-list";

export const runHttpsCheck: THandler<"update.https-check"> = async (ctx, outboxId, { checkId }) => {
  const check = await db.httpsCheck.findUnique({ where: { id: checkId } });
  if (!check) throw new PermanentError(`HTTPS check ${checkId} does not exist`);
  if (check.state === "CHECKED") {
    await completeOutbox(outboxId);
    return;
  }
  const r: TProbeResult = (await isHttpsHostAllowed(db, check.host))
    ? await probeHttps({
        url: check.url,
        caBundle: check.caBundle,
        timeoutMs: ctx.httpsCheckTimeoutMs ?? DEFAULT_HTTPS_CHECK_TIMEOUT_MS,
      })
    : { presented: false, hostValid: false, chainValid: false, ok: false, reason: HOST_REMOVED };
  ctx.log.info({ checkId, host: check.host, ok: r.ok }, "HTTPS check done");
  await db.$transaction(async (tx: Tx) => {
    await tx.outbox.updateMany({
      where: { id: outboxId, state: { not: "DONE" } },
      data: { state: "DONE", doneAt: new Date(), lastError: null },
    });
    const { count } = await tx.httpsCheck.updateMany({
      where: { id: checkId, state: "PENDING" },
      data: {
        state: "CHECKED",
        checkedAt: new Date(),
        subject: r.subject ?? null,
        sans: r.sans ?? [],
        issuer: r.issuer ?? null,
        notBefore: r.notBefore ?? null,
        notAfter: r.notAfter ?? null,
        sha256: r.sha256 ?? null,
        // Nothing presented: neither is known, so neither is recorded as valid or not.
        hostValid: r.presented ? r.hostValid : null,
        chainValid: r.presented ? r.chainValid : null,
        ok: r.ok,
        reason: r.reason,
      },
    });
    if (count === 0) return;
    await appendAuditEvent(tx, {
      actor: WORKER_ACTOR,
      action: "update.https-checked",
      subjectType: "update",
      subjectId: check.updateId,
      payload: { checkId, ok: r.ok, sha256: r.sha256 ?? null, reason: r.reason },
    });
  });
};
