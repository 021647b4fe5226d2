import {
  EMPTY_ROOT,
  equalBytes,
  HASH_SIZE,
  inclusionRanges,
  isIndex,
  nodeHash,
  splitPoint,
  type TRange,
  verifyInclusion,
} from "./merkle";

// Subtree proofs (draft-ietf-plants-merkle-tree-certs §4, as implemented by
// transparency-dev/merkle): an inclusion or consistency proof for a subtree
// [start, end) of a larger tree instead of for a prefix [0, size). With
// start = 0 they are RFC 9162's proofs. Patchgate's log serves only prefix
// proofs; these are here because the shared test vectors cover them, and
// they check the range machinery on ranges that do not start at leaf 0.

/**
 * A subtree: start is a multiple of the smallest power of two ≥ end − start,
 * so [start, end) is the left edge of some node and has an MTH of its own.
 */
export function isValidSubtree(start: number, end: number): boolean {
  if (!isIndex(start) || !isIndex(end) || start > end) return false;
  if (start === end) return true;
  let width = 1;
  while (width < end - start) width *= 2;
  return start % width === 0;
}

function shift(ranges: TRange[], by: number): TRange[] {
  return ranges.map((r) => ({ start: r.start + by, end: r.end + by }));
}

/** The inclusion proof of leaf `index` in the subtree, as ranges of the whole tree. */
export function subtreeInclusionRanges(index: number, start: number, end: number): TRange[] {
  if (!isValidSubtree(start, end) || index < start || index >= end) {
    throw new RangeError(`no inclusion proof for leaf ${index} in subtree [${start}, ${end})`);
  }
  return shift(inclusionRanges(index - start, end - start), start);
}

/** A subtree hashes like a tree of its own: the leaf's proof inside it, against its root. */
export function verifySubtreeInclusion(
  leafHashValue: Uint8Array,
  index: number,
  start: number,
  end: number,
  proof: Uint8Array[],
  subtreeRoot: Uint8Array,
): boolean {
  if (!isValidSubtree(start, end) || !isIndex(index) || index < start || index >= end) return false;
  return verifyInclusion(leafHashValue, index - start, end - start, proof, subtreeRoot);
}

/**
 * SUBTREE_PROOF(start, end, D[size]) as ranges, in proof order: the draft's
 * generalisation of RFC 9162's SUBPROOF. Needs a valid subtree with end ≤ size.
 */
export function subtreeConsistencyRanges(start: number, end: number, size: number): TRange[] {
  if (!isValidSubtree(start, end) || !isIndex(size) || end > size) {
    throw new RangeError(
      `no consistency proof for subtree [${start}, ${end}) in a tree of ${size}`,
    );
  }
  if (start === end) return [];
  // `known`: whether the verifier holds the hash of [start, end) as a node of
  // this part of the tree (true until the subtree is split across it).
  const subproof = (s: number, e: number, lo: number, hi: number, known: boolean): TRange[] => {
    if (s === lo && e === hi) return known ? [] : [{ start: lo, end: hi }];
    const mid = lo + splitPoint(hi - lo);
    if (e <= mid) return [...subproof(s, e, lo, mid, known), { start: mid, end: hi }];
    if (s >= mid) return [...subproof(s, e, mid, hi, known), { start: lo, end: mid }];
    // The subtree straddles mid, so it starts at lo: its left part is the
    // whole left node, and only the part right of mid is left to prove.
    return [...subproof(mid, e, mid, hi, false), { start: lo, end: mid }];
  };
  return subproof(start, end, 0, size, true);
}

/**
 * Checks a subtree consistency proof by laying its hashes on the ranges the
 * proof must cover (subtreeConsistencyRanges) and recomputing from them
 * (1) the subtree's hash, unless the subtree is itself a node of the tree and
 * so was left out of the proof, and (2) the tree's root.
 */
export function verifySubtreeConsistency(
  start: number,
  end: number,
  size: number,
  proof: Uint8Array[],
  subtreeRoot: Uint8Array,
  root: Uint8Array,
): boolean {
  if (!isValidSubtree(start, end) || !isIndex(size) || end > size) return false;
  // An empty subtree is in every tree; its hash must be the empty root.
  if (start === end) return proof.length === 0 && equalBytes(subtreeRoot, EMPTY_ROOT);
  const ranges = subtreeConsistencyRanges(start, end, size);
  if (proof.length !== ranges.length || !proof.every((h) => h.length === HASH_SIZE)) return false;

  const known = new Map<string, Uint8Array>();
  const key = (s: number, e: number) => `${s}:${e}`;
  ranges.forEach((r, i) => known.set(key(r.start, r.end), proof[i]));

  // MTH of [s, e) from known nodes only, splitting as RFC 6962 does.
  const mth = (s: number, e: number): Uint8Array | null => {
    const hit = known.get(key(s, e));
    if (hit) return hit;
    if (e - s <= 1) return null;
    const mid = s + splitPoint(e - s);
    const left = mth(s, mid);
    const right = left && mth(mid, e);
    return left && right && nodeHash(left, right);
  };

  // The subtree is a node of the tree when it is perfect or ends the tree;
  // otherwise the proof carries its parts and they must hash to its root.
  const isNode = end === size || isPowerOfTwoWide(end - start);
  if (isNode) {
    known.set(key(start, end), subtreeRoot);
  } else {
    const rebuilt = mth(start, end);
    if (!rebuilt || !equalBytes(rebuilt, subtreeRoot)) return false;
  }
  const rebuiltRoot = mth(0, size);
  return rebuiltRoot !== null && equalBytes(rebuiltRoot, root);
}

function isPowerOfTwoWide(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}
