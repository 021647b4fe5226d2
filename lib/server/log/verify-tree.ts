import "server-only";
import { db } from "../../db";
import { equalBytes, rootOf } from "../../crypto/merkle";
import { eventLeafHash } from "../../crypto/audit-leaf";
import { verifyCheckpoint } from "../../crypto/checkpoint";
import { noteVerifierKey } from "./log-key";
import { storedLatestCheckpoint } from "./integrate";
import { rangeHashes } from "./tree-store";

const PAGE = 2000;

export type TTreeVerdict =
  | { ok: true; treeSize: number; rootHash: Uint8Array | null }
  | { ok: false; treeSize: number; reason: string };

/**
 * The tree beside the chain (issue #16): recomputes every leaf from the events
 * up to the latest checkpoint's size, compares each with the stored leaf, and
 * the root they make with the checkpoint's, whose note signature is checked
 * too. Events rewritten with a recomputed chain pass the chain check; they
 * fail here, against the root the portal signed (and mailed) before.
 */
export async function verifyStoredTree(): Promise<TTreeVerdict> {
  const cp = await storedLatestCheckpoint();
  if (!cp) return { ok: true, treeSize: 0, rootHash: null };
  const n = cp.treeSize;
  const fail = (reason: string): TTreeVerdict => ({ ok: false, treeSize: n, reason });
  try {
    const body = verifyCheckpoint(cp.note, await noteVerifierKey());
    if (body.treeSize !== n || !equalBytes(body.rootHash, cp.rootHash))
      return fail(`checkpoint ${n}'s signed note does not match its stored size and root`);
  } catch (e) {
    return fail(`checkpoint ${n}'s note signature does not verify: ${(e as Error).message}`);
  }
  const leaves: Uint8Array[] = [];
  let badLeaf: number | null = null;
  while (leaves.length < n) {
    const from = leaves.length;
    const [events, stored] = await Promise.all([
      db.auditEvent.findMany({
        where: { seq: { gt: BigInt(from), lte: BigInt(Math.min(n, from + PAGE)) } },
        orderBy: { seq: "asc" },
      }),
      db.logNode.findMany({
        where: { level: 0, index: { gte: BigInt(from), lt: BigInt(Math.min(n, from + PAGE)) } },
        orderBy: { index: "asc" },
      }),
    ]);
    if (events.length === 0) break;
    for (const [i, e] of events.entries()) {
      const index = from + i;
      if (e.seq !== BigInt(index + 1))
        return fail(`checkpoint ${n} covers event ${index + 1}, which is missing`);
      const leaf = eventLeafHash(e);
      const s = stored[i];
      if (badLeaf === null && (!s || Number(s.index) !== index || !equalBytes(s.hash, leaf)))
        badLeaf = index;
      leaves.push(leaf);
    }
  }
  if (leaves.length < n)
    return fail(`checkpoint ${n} covers event ${leaves.length + 1}, which is missing`);
  if (!equalBytes(rootOf(leaves), cp.rootHash))
    return fail(
      `checkpoint ${n}'s root does not match the events` +
        (badLeaf === null
          ? ""
          : `: leaf ${badLeaf} (event ${badLeaf + 1}) differs from the stored one`),
    );
  if (badLeaf !== null)
    return fail(`the stored leaf ${badLeaf} (event ${badLeaf + 1}) does not match its event`);
  const [storedRoot] = await rangeHashes([{ start: 0, end: n }]).catch(() => [null]);
  if (!storedRoot || !equalBytes(storedRoot, cp.rootHash))
    return fail(`the stored tree's nodes do not make checkpoint ${n}'s root`);
  return { ok: true, treeSize: n, rootHash: cp.rootHash };
}
