import "server-only";
import { db } from "../../db";
import { consistencyRanges, inclusionRanges } from "../../crypto/merkle";
import {
  LOG_PROOFS_FORMAT,
  type TLogConsistency,
  type TLogProofs,
} from "../../dossier/log-manifest";
import type { TBundleLogFiles } from "../../dossier/seal-bundle";
import { noteVerifierKey } from "./log-key";
import { checkpointCovering, latestCheckpoint } from "./proofs";
import { rangeHashes } from "./tree-store";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

/**
 * The tree size of the last checkpoint mailed to the system-log lists (the archive's
 * witness) that is smaller than `size`, or null when none was mailed yet.
 */
async function lastMailedBelow(size: number): Promise<number | null> {
  const rows = await db.outbox.findMany({
    where: { kind: "log.checkpoint", state: "DONE" },
    orderBy: { doneAt: "desc" },
    select: { payload: true },
    take: 50,
  });
  const sizes = rows
    .map((r) => Number((r.payload as { treeSize?: unknown }).treeSize))
    .filter((n) => Number.isSafeInteger(n) && n >= 1 && n < size);
  return sizes.length ? Math.max(...sizes) : null;
}

/**
 * log/consistency.json: the proof that the bundle's tree extends the last checkpoint the
 * lists received, so `patchgate verify --checkpoint` with that mail needs no portal.
 */
async function consistencyFromLastMail(size: number): Promise<TLogConsistency | undefined> {
  const from = await lastMailedBelow(size);
  if (from === null) return undefined;
  const proof = await rangeHashes(consistencyRanges(from, size));
  return { from, to: size, proof: proof.map(b64) };
}

/**
 * A checkpoint covering every one of `events` (forced now if the worker has not
 * made one yet, so a bundle fetched right after a sign-off is complete) and each
 * event's inclusion proof against it, in the events' order. The tree's nodes and
 * checkpoints never change once written, so they are read outside the bundle's
 * snapshot; every hash any of the proofs needs comes in one query.
 */
export async function bundleLog(events: { seq: bigint }[]): Promise<TBundleLogFiles> {
  const maxSeq = events.reduce((m, e) => (e.seq > m ? e.seq : m), 0n);
  const cp = maxSeq > 0n ? await checkpointCovering(maxSeq) : await latestCheckpoint();
  const size = cp.treeSize;
  const perEvent = events.map((e) => {
    const index = Number(e.seq) - 1;
    return { index, ranges: [{ start: index, end: index + 1 }, ...inclusionRanges(index, size)] };
  });
  const hashes = await rangeHashes(perEvent.flatMap((p) => p.ranges));
  let at = 0;
  const proofs: TLogProofs = {
    format: LOG_PROOFS_FORMAT,
    treeSize: size,
    rootHash: b64(cp.rootHash),
    events: events.map((e, i) => {
      const mine = hashes.slice(at, at + perEvent[i].ranges.length);
      at += perEvent[i].ranges.length;
      return {
        seq: e.seq.toString(),
        leafIndex: perEvent[i].index,
        leafHash: b64(mine[0]),
        proof: mine.slice(1).map(b64),
      };
    }),
  };
  return {
    checkpoint: cp.note,
    checkpointAsc: cp.signature,
    noteKey: (await noteVerifierKey()) + "\n",
    proofs,
    consistency: await consistencyFromLastMail(size),
  };
}
