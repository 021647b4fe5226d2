import { EMPTY_ROOT, equalBytes, verifyConsistency } from "./merkle";

// Issue #16: two checkpoints of one log agree when the smaller tree is a prefix
// of the larger: equal sizes must have equal roots, different sizes need a
// consistency proof. Shared by `patchgate verify --checkpoint` and the monitor
// (`patchgate log watch`), which differ only in where the proof comes from.

export type TTreeHead = { size: number; root: Uint8Array };

/** The sizes a consistency proof must be asked for, or null when none is needed. */
export function proofNeeded(a: TTreeHead, b: TTreeHead): { from: number; to: number } | null {
  if (a.size === b.size || Math.min(a.size, b.size) === 0) return null;
  return { from: Math.min(a.size, b.size), to: Math.max(a.size, b.size) };
}

/**
 * Null when `a` and `b` are checkpoints of one append-only log (the smaller a
 * prefix of the larger, by `proof` when the sizes differ), else why not.
 */
export function inconsistency(
  a: TTreeHead,
  b: TTreeHead,
  proof: Uint8Array[] | null,
): string | null {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === large.size)
    return equalBytes(small.root, large.root)
      ? null
      : `two different roots for the same tree size ${small.size}: the log forked`;
  if (small.size === 0)
    return equalBytes(small.root, EMPTY_ROOT)
      ? null
      : "a tree of size 0 whose root is not the empty tree's";
  if (!proof) return `no consistency proof from size ${small.size} to ${large.size}`;
  return verifyConsistency(small.size, large.size, proof, small.root, large.root)
    ? null
    : `the consistency proof from size ${small.size} to ${large.size} does not verify: the tree of ${small.size} leaves is not a prefix of the tree of ${large.size}, the log forked`;
}
