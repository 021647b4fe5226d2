import "server-only";
import type { Tx } from "../../db";
import { GENESIS_HASH } from "../../domain/audit-canonical";
import type { TEventLine, THead } from "../../dossier/manifest";
import type { TBundleLogFiles } from "../../dossier/seal-bundle";
import { bundleLog } from "../log/bundle-log";

type TEventRow = Awaited<ReturnType<Tx["auditEvent"]["findMany"]>>[number];

/** An audit event as a bundle's events file and the log's leaves API carry it. */
export function eventLine(e: TEventRow): TEventLine {
  return {
    seq: e.seq.toString(),
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    payload: e.payload,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/**
 * A bundle's share of the audit log: its own events as lines, the chain's head,
 * and the `<seq> <hash>` of every other event between its first event and the
 * head, so a verifier can follow the chain without seeing their content
 * (decision 0008). Read in the caller's snapshot. And the log's share (issue
 * #16): a checkpoint covering the events and each one's inclusion proof.
 */
export async function auditExcerpt(
  tx: Tx,
  events: TEventRow[],
): Promise<{
  events: TEventLine[];
  links: { seq: string; hash: string }[];
  head: THead;
  log: TBundleLogFiles;
}> {
  const last = await tx.auditEvent.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true, at: true },
  });
  const own = new Set(events.map((e) => e.seq));
  const links = events.length
    ? (
        await tx.auditEvent.findMany({
          where: { seq: { gt: events[0].seq, lte: last!.seq } },
          orderBy: { seq: "asc" },
          select: { seq: true, hash: true },
        })
      )
        .filter((l) => !own.has(l.seq))
        .map((l) => ({ seq: l.seq.toString(), hash: l.hash }))
    : [];
  return {
    events: events.map(eventLine),
    links,
    head: last
      ? { seq: last.seq.toString(), hash: last.hash, at: last.at.toISOString() }
      : { seq: "0", hash: GENESIS_HASH, at: null },
    log: await bundleLog(events),
  };
}
