import { createHash } from "node:crypto";

// The Merkle tree of RFC 6962 / RFC 9162 §2.1, over SHA-256. The audit log's
// events are its leaves, in `seq` order (docs/transparency-log.md).
//
// Proofs are generated as *ranges* of leaves, not hashes: every node of an
// RFC 6962 tree covers a range [start, end) whose hash is the Merkle Tree Hash
// (MTH) of those leaves. The server turns each range into perfect subtrees
// (perfectParts), reads their stored hashes in one query, and folds them
// (foldParts). Verification follows RFC 9162's algorithms step by step, so
// it does not share code with generation: a generator bug cannot hide itself.
//
// Sizes and indexes are plain numbers; anything that is not a non-negative
// safe integer (e.g. a 64-bit value read from JSON) is refused.

export const HASH_SIZE = 32;

/** MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256();

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

// The one-byte prefixes keep a leaf from ever hashing like an interior node
// (second-preimage resistance, RFC 6962 §2.1).
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** MTH({d}) = SHA-256(0x00 ‖ d). */
export function leafHash(leaf: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, leaf);
}

/** SHA-256(0x01 ‖ MTH(left) ‖ MTH(right)). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/** k, "the largest power of two smaller than n" (RFC 9162 §2.1.1); n ≥ 2. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A leaf index or tree size this code can hold exactly: a non-negative safe integer. */
export function isIndex(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** MTH(D[n]) over the leaves' hashes (RFC 9162 §2.1.1). */
export function rootOf(leafHashes: Uint8Array[]): Uint8Array {
  const mth = (start: number, end: number): Uint8Array => {
    if (end - start === 1) return leafHashes[start];
    const k = splitPoint(end - start);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return leafHashes.length === 0 ? EMPTY_ROOT : mth(0, leafHashes.length);
}

/** Leaves [start, end): one node of the tree, the unit a proof is made of. */
export type TRange = { start: number; end: number };

/**
 * PATH(m, D[n]) (RFC 9162 §2.1.3.1) as the ranges its hashes cover: the
 * siblings of the nodes from leaf m up to the root, leaf's sibling first.
 */
export function inclusionRanges(index: number, size: number): TRange[] {
  if (!isIndex(index) || !isIndex(size) || index >= size) {
    throw new RangeError(`no inclusion proof for leaf ${index} in a tree of ${size}`);
  }
  const path: TRange[] = [];
  let start = 0;
  let end = size;
  // Walk down from the root; each step keeps the half holding the leaf and
  // records the other half. Reversed at the end: the proof lists bottom-up.
  while (end - start > 1) {
    const mid = start + splitPoint(end - start);
    if (index < mid) {
      path.push({ start: mid, end });
      end = mid;
    } else {
      path.push({ start, end: mid });
      start = mid;
    }
  }
  return path.reverse();
}

/**
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 §2.1.4.1) as ranges,
 * in proof order. Needs 0 < from ≤ to; from = to gives the empty proof.
 */
export function consistencyRanges(from: number, to: number): TRange[] {
  if (!isIndex(from) || !isIndex(to) || from === 0 || from > to) {
    throw new RangeError(`no consistency proof from size ${from} to size ${to}`);
  }
  // SUBPROOF(m, D[start:end], b): `known` is b — whether the verifier already
  // holds MTH(D[start:start+m]) (it does while that node is the old root).
  const subproof = (m: number, start: number, end: number, known: boolean): TRange[] => {
    if (m === end - start) return known ? [] : [{ start, end }];
    const k = splitPoint(end - start);
    if (m <= k) return [...subproof(m, start, start + k, known), { start: start + k, end }];
    return [...subproof(m - k, start + k, end, false), { start, end: start + k }];
  };
  return subproof(from, 0, to, true);
}

/** Leaves [index·2^level, (index+1)·2^level): a node the server stores once it is complete. */
export type TPerfect = { level: number; index: number };

/**
 * The range as maximal aligned perfect subtrees, left to right. For a node of
 * an RFC 6962 tree (start a multiple of the smallest power of two ≥ its
 * length) these are its left spine's full subtrees: sizes of the binary
 * digits of end − start, largest first, and foldParts of their hashes is the
 * node's MTH.
 */
export function perfectParts(r: TRange): TPerfect[] {
  if (!isIndex(r.start) || !isIndex(r.end) || r.start > r.end) {
    throw new RangeError(`not a range of leaves: [${r.start}, ${r.end})`);
  }
  const parts: TPerfect[] = [];
  let start = r.start;
  while (start < r.end) {
    let level = 0;
    // Grow while the next bigger subtree both starts here and fits.
    while (start % 2 ** (level + 1) === 0 && start + 2 ** (level + 1) <= r.end) level += 1;
    parts.push({ level, index: start / 2 ** level });
    start += 2 ** level;
  }
  return parts;
}

/**
 * The perfect subtrees that leaf `leafIndex` completes, level 0 (the leaf)
 * upwards: the nodes a writer stores when it appends that leaf. Each one above
 * level 0 is nodeHash of its two children, both stored already.
 */
export function completedNodes(leafIndex: number): TPerfect[] {
  if (!isIndex(leafIndex)) throw new RangeError(`not a leaf index: ${leafIndex}`);
  const nodes: TPerfect[] = [];
  // A subtree of 2^level leaves ends at this leaf when leafIndex + 1 is a multiple of 2^level.
  for (let level = 0; (leafIndex + 1) % 2 ** level === 0; level += 1) {
    nodes.push({ level, index: (leafIndex + 1) / 2 ** level - 1 });
  }
  return nodes;
}

/**
 * The hash of a node from its perfect parts' hashes, left to right: RFC 6962
 * splits a node after its largest perfect part, so the parts nest to the
 * right: h(P1, h(P2, … h(Pk-1, Pk))). No parts: the empty tree's root.
 */
export function foldParts(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i -= 1) acc = nodeHash(hashes[i], acc);
  return acc;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i] ^ b[i];
  return diff === 0;
}

const isHash = (h: Uint8Array) => h.length === HASH_SIZE;

// Plain arithmetic instead of >>, &: JavaScript's bit operators cut numbers to
// 32 bits, and a tree may one day hold more leaves than that.
const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/**
 * RFC 9162 §2.1.3.2. fn is the index of the node on the leaf's path at the
 * current level, sn the index of the last node at that level; where fn is a
 * right child or the last node (no right sibling), the proof hash goes left.
 */
export function verifyInclusion(
  leafHashValue: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isIndex(index) || !isIndex(size) || index >= size) return false;
  if (!isHash(leafHashValue) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHashValue;
  for (const p of proof) {
    if (sn === 0) return false; // proof longer than the path to the root
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // A last node with no right sibling is promoted unchanged: skip the
      // levels where it is a left child.
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/**
 * RFC 9162 §2.1.4.2. Rebuilds both roots from one proof: fr (the old root)
 * only from hashes left of the old tree's last leaf, sr (the new root) from
 * all of them. Needs 0 < from ≤ to.
 */
export function verifyConsistency(
  from: number,
  to: number,
  proof: Uint8Array[],
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): boolean {
  if (!isIndex(from) || !isIndex(to) || from === 0 || from > to) return false;
  if (from === to) return proof.length === 0 && equalBytes(fromRoot, toRoot);
  if (proof.length === 0 || !proof.every(isHash)) return false;
  // When the old tree is perfect, its root is a node of the new tree and the
  // proof leaves it out: the verifier starts from the root it holds.
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : proof;
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, fromRoot) && equalBytes(sr, toRoot);
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}
