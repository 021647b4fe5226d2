import "server-only";
import * as openpgp from "openpgp";
import { db } from "../../db";
import { isUniqueViolation } from "../prisma-errors";
import { AppError } from "../../errors";
import { foldParts, leafHash, nodeHash, perfectParts } from "../../crypto/merkle";
import { signCheckpoint } from "../../crypto/checkpoint";
import { portalSigningKey } from "../portal-key/portal-key";
import { noteSigningKey, origin } from "./log-key";
import { auditLeaf, integratedSize, storedHashes } from "./tree-store";

// Its own lock, not the audit chain's: integrating never makes a writer wait.
const LOG_INTEGRATOR_LOCK = 0x7472_6565; // "tree"
const PAGE = 1000;

type TNode = { level: number; index: number; hash: Uint8Array };

export type TStoredCheckpoint = {
  treeSize: number;
  rootHash: Uint8Array;
  note: string;
  signature: string;
  createdAt: Date;
};

function toCheckpoint(row: {
  treeSize: bigint;
  rootHash: Uint8Array;
  note: string;
  signature: string;
  createdAt: Date;
}): TStoredCheckpoint {
  return { ...row, treeSize: Number(row.treeSize), rootHash: new Uint8Array(row.rootHash) };
}

/** The newest stored checkpoint, or null before the first integration. */
export async function storedLatestCheckpoint(): Promise<TStoredCheckpoint | null> {
  const row = await db.checkpoint.findFirst({ orderBy: { treeSize: "desc" } });
  return row ? toCheckpoint(row) : null;
}

/** True when events exist that the latest checkpoint does not cover (the worker's cheap check). */
export async function hasUncoveredEvents(): Promise<boolean> {
  const [last, cp] = await Promise.all([
    db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }),
    db.checkpoint.findFirst({ orderBy: { treeSize: "desc" }, select: { treeSize: true } }),
  ]);
  return (last?.seq ?? 0n) > (cp?.treeSize ?? -1n);
}

/**
 * Adds up to a page of new events to the tree: their leaf hashes and every
 * perfect subtree they complete, continuing from the stored frontier (the
 * perfect parts of [0, size)). Returns the new size and the frontier.
 */
async function integratePage(): Promise<{ size: number; added: number; frontier: TNode[] }> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOG_INTEGRATOR_LOCK})`;
      const size = await integratedSize(tx);
      const parts = perfectParts({ start: 0, end: size });
      const hashes = await storedHashes(parts, tx);
      const stack: TNode[] = parts.map((p, i) => ({ ...p, hash: hashes[i] }));
      const events = await tx.auditEvent.findMany({
        where: { seq: { gt: BigInt(size) } },
        orderBy: { seq: "asc" },
        take: PAGE,
      });
      const fresh: TNode[] = [];
      for (const [i, e] of events.entries()) {
        const index = size + i;
        // Leaf i is the event with seq i+1: a gap is a deleted event, never skipped over.
        if (e.seq !== BigInt(index + 1))
          throw new AppError(
            "INTERNAL",
            `The audit log has no event ${index + 1}; not integrated.`,
          );
        let node: TNode = { level: 0, index, hash: leafHash(auditLeaf(e)) };
        fresh.push(node);
        // Two neighbours of one level make their parent, as in a binary counter.
        while (stack.length && stack[stack.length - 1].level === node.level) {
          const left = stack.pop()!;
          node = {
            level: node.level + 1,
            index: left.index / 2,
            hash: nodeHash(left.hash, node.hash),
          };
          fresh.push(node);
        }
        stack.push(node);
      }
      if (fresh.length)
        await tx.logNode.createMany({
          data: fresh.map((n) => ({
            level: n.level,
            index: BigInt(n.index),
            hash: new Uint8Array(n.hash),
          })),
        });
      return { size: size + events.length, added: events.length, frontier: stack };
    },
    { timeout: 60_000 },
  );
}

async function signedNote(treeSize: number, rootHash: Uint8Array) {
  const note = signCheckpoint(
    { origin: await origin(), treeSize, rootHash },
    await noteSigningKey(),
  );
  // Over the note's exact bytes, so `gpg --verify checkpoint.asc checkpoint` checks what is served.
  const signature = (await openpgp.sign({
    message: await openpgp.createMessage({ binary: new TextEncoder().encode(note) }),
    signingKeys: await portalSigningKey(),
    detached: true,
    format: "armored",
  })) as string;
  return { note, signature };
}

/**
 * Integrates every event not yet in the tree (pages of 1000, each its own
 * transaction under the integrator's lock) and returns a checkpoint of the
 * whole tree, signing a new one when the tree grew. The existing events of a
 * portal that predates the log become its first leaves on the first run.
 */
export async function integrateLog(): Promise<TStoredCheckpoint> {
  let page = await integratePage();
  while (page.added === PAGE) page = await integratePage();
  const latest = await storedLatestCheckpoint();
  if (latest && latest.treeSize >= page.size) return latest;
  const rootHash = foldParts(page.frontier.map((n) => n.hash));
  const { note, signature } = await signedNote(page.size, rootHash);
  const treeSize = BigInt(page.size);
  try {
    const row = await db.checkpoint.create({
      data: { treeSize, rootHash: new Uint8Array(rootHash), note, signature },
    });
    return toCheckpoint(row);
  } catch (e) {
    // Another integrator signed the same size first (concurrent requests for the
    // checkpoint; an upsert is no atomic insert-or-read): its checkpoint stands.
    if (!isUniqueViolation(e)) throw e;
    return toCheckpoint(await db.checkpoint.findUniqueOrThrow({ where: { treeSize } }));
  }
}
