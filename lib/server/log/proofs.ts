import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";
import { consistencyRanges, inclusionRanges } from "../../crypto/merkle";
import { integrateLog, storedLatestCheckpoint, type TStoredCheckpoint } from "./integrate";
import { rangeHashes, storedHashes } from "./tree-store";
import { parseQuery as parse, ZLogCount as size } from "./params";

/** The latest checkpoint, made fresh when events exist that it does not cover. */
export async function latestCheckpoint(): Promise<TStoredCheckpoint> {
  const latest = await storedLatestCheckpoint();
  const last = await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
  if (latest && BigInt(latest.treeSize) >= (last?.seq ?? 0n)) return latest;
  return integrateLog();
}

/** A checkpoint whose tree holds the event `seq` (an export forces one rather than wait). */
export async function checkpointCovering(seq: bigint | number): Promise<TStoredCheckpoint> {
  const latest = await storedLatestCheckpoint();
  if (latest && BigInt(latest.treeSize) >= BigInt(seq)) return latest;
  const made = await integrateLog();
  if (BigInt(made.treeSize) < BigInt(seq))
    throw new AppError("INTERNAL", `The audit log has no event ${seq} to cover.`);
  return made;
}

async function checkedSize(treeSize: number) {
  const latest = await storedLatestCheckpoint();
  if (!latest || treeSize > latest.treeSize)
    throw new AppError(
      "VALIDATION",
      `The latest checkpoint's tree has ${latest?.treeSize ?? 0} leaves; ${treeSize} is beyond it.`,
    );
}

export const ZInclusionQuery = z
  .object({
    index: size.meta({ description: "The leaf: the audit event with seq index+1." }),
    size: size
      .refine((n) => n >= 1, "must be at least 1")
      .meta({
        description: "The tree size, at least index+1 and at most the latest checkpoint's.",
      }),
  })
  .refine((q) => q.index < q.size, { message: "index must be smaller than size", path: ["index"] });

/** The leaf's hash and its audit path in the tree of `size` leaves (RFC 9162 §2.1.3). */
export async function inclusionProof(input: Record<string, unknown>) {
  const q = parse(ZInclusionQuery, input);
  await checkedSize(q.size);
  const [leafHash] = await storedHashes([{ level: 0, index: q.index }]);
  const proof = await rangeHashes(inclusionRanges(q.index, q.size));
  return { index: q.index, treeSize: q.size, leafHash, proof };
}

export const ZConsistencyQuery = z
  .object({
    from: size
      .refine((n) => n >= 1, "must be at least 1")
      .meta({ description: "The older tree size, at least 1." }),
    to: size
      .refine((n) => n >= 1, "must be at least 1")
      .meta({
        description: "The newer tree size, at least from and at most the latest checkpoint's.",
      }),
  })
  .refine((q) => q.from <= q.to, { message: "from must not be larger than to", path: ["from"] });

/** The proof that the tree of `to` leaves extends the tree of `from` (RFC 9162 §2.1.4). */
export async function consistencyProof(input: Record<string, unknown>) {
  const q = parse(ZConsistencyQuery, input);
  await checkedSize(q.to);
  return { from: q.from, to: q.to, proof: await rangeHashes(consistencyRanges(q.from, q.to)) };
}
