import "server-only";
import { db, type Tx } from "../../db";
import { WORKER_ACTOR } from "../../auth/actor";
import { EXPIRY_MARKS_DAYS, dueExpiryMark } from "../../domain/certificate-expiry";
import { writeOutbox } from "../../jobs/outbox";
import { appendAuditEvent, type TAuditActor } from "../audit/append-event";

const DAY_MS = 86_400_000;

/** The outbox dedupe key of one certificate's warning at one mark. */
export function expiryDedupeKey(certificateId: string, mark: number): string {
  return `certificate.expiry:${certificateId}:${mark}`;
}

/**
 * Writes the expiry warning now due (U3) for these trusted certificates, in the
 * caller's transaction: a certificate added after a mark has passed gets that
 * mark's mail at once, once (the larger marks it passed are recorded as covered,
 * never mailed). One notice row per mark, created with the time it fell due
 * (the mail's "ends in N days" is counted from it); the row that wins the
 * unique (certificate, mark) index owns the outbox row and the audit event, so
 * concurrent sweeps write each warning once. Removed certificates get none.
 * The audit event names `actor` (the worker, or the person whose trust made it due).
 */
export async function queueExpiryWarnings(
  tx: Tx,
  certificateIds: readonly string[],
  now = new Date(),
  actor: TAuditActor = WORKER_ACTOR,
) {
  if (certificateIds.length === 0) return [];
  const certificates = await tx.trustedCertificate.findMany({
    where: { id: { in: [...certificateIds] }, removedAt: null },
    include: { installation: { select: { slug: true } }, notices: { select: { mark: true } } },
    orderBy: { id: "asc" },
  });
  const queued: { certificateId: string; mark: number }[] = [];
  for (const c of certificates) {
    const due = dueExpiryMark(
      c.notAfter,
      now,
      c.notices.map((n) => n.mark),
    );
    if (!due) continue;
    // The due mark first: only the transaction that inserts it writes the warning.
    const won = await tx.certificateExpiryNotice.createMany({
      data: [{ certificateId: c.id, mark: due.mark, createdAt: now }],
      skipDuplicates: true,
    });
    const covered = due.covered.filter((m) => m !== due.mark);
    if (covered.length > 0) {
      await tx.certificateExpiryNotice.createMany({
        data: covered.map((mark) => ({ certificateId: c.id, mark, createdAt: now })),
        skipDuplicates: true,
      });
    }
    if (won.count === 0) continue;
    await writeOutbox(
      tx,
      "certificate.expiry",
      { certificateId: c.id, mark: due.mark },
      expiryDedupeKey(c.id, due.mark),
    );
    await appendAuditEvent(tx, {
      actor: { id: actor.id, label: actor.label },
      action: "certificate.expiry-warned",
      subjectType: "certificate",
      subjectId: c.id,
      payload: { installation: c.installation.slug, sha256: c.sha256, mark: due.mark },
    });
    queued.push({ certificateId: c.id, mark: due.mark });
  }
  return queued;
}

/**
 * U3, on the worker's schedule: every active trusted certificate ending within
 * 90 days gets the warning now due, if any. Idempotent (the notice rows and the
 * outbox's dedupe keys): run it as often as you like. `now` is injectable.
 */
export async function sweepCertificateExpiry(now = new Date()) {
  const ending = await db.trustedCertificate.findMany({
    where: {
      removedAt: null,
      notAfter: { gt: now, lte: new Date(now.getTime() + Math.max(...EXPIRY_MARKS_DAYS) * DAY_MS) },
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  let queued = 0;
  for (const c of ending) {
    // One transaction per certificate: one that fails does not hold back the others.
    const written = await db.$transaction((tx: Tx) => queueExpiryWarnings(tx, [c.id], now));
    queued += written.length;
  }
  return { certificates: ending.length, queued };
}
