import "server-only";
import { db, type Tx } from "../../db";
import { AppError } from "../../errors";
import { foldParts, perfectParts, type TPerfect, type TRange } from "../../crypto/merkle";
import { leafOfEvent } from "../../crypto/audit-leaf";

/** The leaf bytes of an audit event: the canonical encoding its chain hash covers. */
export const auditLeaf = leafOfEvent;

/** How many leaves the stored tree holds: the level-0 nodes are contiguous from 0. */
export async function integratedSize(client: Tx = db): Promise<number> {
  const { _max } = await client.logNode.aggregate({ where: { level: 0 }, _max: { index: true } });
  return _max.index === null ? 0 : Number(_max.index) + 1;
}

/** The stored hashes of these perfect subtrees, in the order asked, in one query. */
export async function storedHashes(parts: TPerfect[], client: Tx = db): Promise<Uint8Array[]> {
  if (parts.length === 0) return [];
  const rows = await client.logNode.findMany({
    where: { OR: parts.map((p) => ({ level: p.level, index: BigInt(p.index) })) },
  });
  const byKey = new Map(rows.map((r) => [`${r.level}/${r.index}`, new Uint8Array(r.hash)]));
  return parts.map((p) => {
    const h = byKey.get(`${p.level}/${p.index}`);
    // Only a tree that was not integrated this far, or lost rows, gets here.
    if (!h) throw new AppError("INTERNAL", `The log has no node ${p.level}/${p.index}.`);
    return h;
  });
}

/** The hash of each range (a node of the tree), from its perfect parts read in one query. */
export async function rangeHashes(ranges: TRange[], client: Tx = db): Promise<Uint8Array[]> {
  const partsOf = ranges.map(perfectParts);
  const hashes = await storedHashes(partsOf.flat(), client);
  let at = 0;
  return partsOf.map((parts) => {
    const mine = hashes.slice(at, at + parts.length);
    at += parts.length;
    return foldParts(mine);
  });
}
