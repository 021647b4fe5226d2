import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  completedNodes,
  consistencyRanges,
  foldParts,
  inclusionRanges,
  leafHash,
  perfectParts,
  rootOf,
  type TPerfect,
  type TRange,
  verifyConsistency,
  verifyInclusion,
} from "./merkle";
import {
  subtreeConsistencyRanges,
  subtreeInclusionRanges,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from "./merkle-subtree";

// Proofs built the way the server builds them — ranges → perfect parts → the
// stored hash of each perfect subtree → fold — must verify with RFC 9162's
// algorithms, which share no code with that path; and one flipped bit must
// make them fail.

const MAX = 1100; // past 1024, so trees of 11 levels and every shape below them

const leaves = Array.from({ length: MAX }, (_, i) =>
  createHash("sha256")
    .update(`leaf ${i}`)
    .digest()
    .subarray(0, 1 + (i % 32)),
);
const leafHashes = leaves.map((l) => leafHash(new Uint8Array(l)));

// What the server stores: the hash of every complete perfect subtree, keyed
// by (level, index). A tree of any size ≤ MAX uses only the nodes that are
// complete in it, and they hash the same in every larger tree.
const stored = new Map<string, Uint8Array>();
let level: Uint8Array[] = leafHashes;
for (let l = 0; level.length > 0; l += 1) {
  level.forEach((h, i) => stored.set(`${l}:${i}`, h));
  const up: Uint8Array[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) up.push(foldParts([level[i], level[i + 1]]));
  level = up;
}

const storedHash = (p: TPerfect) => {
  const h = stored.get(`${p.level}:${p.index}`);
  if (!h) throw new Error(`no stored node ${p.level}:${p.index}`);
  return h;
};
const rangeHashes = new Map<string, Uint8Array>();
const hashOfRange = (r: TRange) => {
  const key = `${r.start}:${r.end}`;
  const hit = rangeHashes.get(key);
  if (hit) return hit;
  const h = foldParts(perfectParts(r).map(storedHash));
  rangeHashes.set(key, h);
  return h;
};
const proofOf = (ranges: TRange[]) => ranges.map(hashOfRange);
const rootAt = (size: number) => hashOfRange({ start: 0, end: size });

/** A copy with one bit of one byte flipped. */
function flipped(hashes: Uint8Array[], which: number, byte: number, bit: number): Uint8Array[] {
  return hashes.map((h, i) => {
    if (i !== which) return h;
    const copy = h.slice();
    copy[byte % copy.length] ^= 1 << bit;
    return copy;
  });
}

describe("a root from stored perfect subtrees", () => {
  test("a writer that stores completedNodes of each leaf it appends holds every node a proof needs", () => {
    const written = new Set<string>();
    for (let leaf = 0; leaf < 300; leaf += 1) {
      for (const p of completedNodes(leaf)) written.add(`${p.level}:${p.index}`);
      const size = leaf + 1;
      const needed = [
        { start: 0, end: size },
        ...inclusionRanges(leaf, size),
        ...consistencyRanges(Math.max(1, size >> 1), size),
      ].flatMap(perfectParts);
      for (const p of needed) expect(written.has(`${p.level}:${p.index}`)).toBe(true);
    }
    expect(completedNodes(7)).toEqual([
      { level: 0, index: 7 },
      { level: 1, index: 3 },
      { level: 2, index: 1 },
      { level: 3, index: 0 },
    ]);
  });

  test("equals MTH over the leaves for every size 0..70 and some larger ones", () => {
    for (const n of [...Array.from({ length: 71 }, (_, i) => i), 127, 128, 129, 1000, MAX]) {
      expect(rootAt(n)).toEqual(rootOf(leafHashes.slice(0, n)));
    }
  });
});

describe("inclusion proofs", () => {
  test("every leaf of every tree of 1..70 leaves: the proof verifies, at no other index", () => {
    for (let size = 1; size <= 70; size += 1) {
      const root = rootAt(size);
      for (let index = 0; index < size; index += 1) {
        const proof = proofOf(inclusionRanges(index, size));
        expect(verifyInclusion(leafHashes[index], index, size, proof, root)).toBe(true);
        const other = (index + 1) % size;
        if (other !== index) {
          expect(verifyInclusion(leafHashes[index], other, size, proof, root)).toBe(false);
        }
      }
    }
  });

  const leafInTree = fc
    .integer({ min: 1, max: MAX })
    .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));

  test("random trees up to 1100 leaves: a proof verifies; a flipped bit anywhere does not", () => {
    fc.assert(
      fc.property(
        leafInTree,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        ([size, index], which, byte, bit) => {
          const proof = proofOf(inclusionRanges(index, size));
          const root = rootAt(size);
          const leaf = leafHashes[index];
          expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
          // The leaf, the root and each proof hash in turn.
          const [badLeaf] = flipped([leaf], 0, byte, bit);
          const [badRoot] = flipped([root], 0, byte, bit);
          expect(verifyInclusion(badLeaf, index, size, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof, badRoot)).toBe(false);
          if (proof.length > 0) {
            const bad = flipped(proof, which % proof.length, byte, bit);
            expect(verifyInclusion(leaf, index, size, bad, root)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("consistency proofs", () => {
  test("every pair of sizes 1 ≤ from ≤ to ≤ 70: the proof verifies, not against a neighbouring size", () => {
    for (let to = 1; to <= 70; to += 1) {
      for (let from = 1; from <= to; from += 1) {
        const proof = proofOf(consistencyRanges(from, to));
        expect(verifyConsistency(from, to, proof, rootAt(from), rootAt(to))).toBe(true);
        if (from < to) {
          expect(verifyConsistency(from + 1, to, proof, rootAt(from + 1), rootAt(to))).toBe(false);
        }
      }
    }
  });

  const twoSizes = fc
    .integer({ min: 1, max: MAX })
    .chain((to) => fc.tuple(fc.integer({ min: 1, max: to }), fc.constant(to)));

  test("random sizes up to 1100: a proof verifies; a flipped bit anywhere does not", () => {
    fc.assert(
      fc.property(
        twoSizes,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        ([from, to], which, byte, bit) => {
          const proof = proofOf(consistencyRanges(from, to));
          const [fromRoot, toRoot] = [rootAt(from), rootAt(to)];
          expect(verifyConsistency(from, to, proof, fromRoot, toRoot)).toBe(true);
          const [badFrom] = flipped([fromRoot], 0, byte, bit);
          const [badTo] = flipped([toRoot], 0, byte, bit);
          expect(verifyConsistency(from, to, proof, badFrom, toRoot)).toBe(false);
          expect(verifyConsistency(from, to, proof, fromRoot, badTo)).toBe(false);
          if (proof.length > 0) {
            const bad = flipped(proof, which % proof.length, byte, bit);
            expect(verifyConsistency(from, to, bad, fromRoot, toRoot)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("subtree proofs", () => {
  // Every valid subtree [start, end) with end ≤ 70: start a multiple of the
  // smallest power of two ≥ its width.
  const subtrees: TRange[] = [];
  for (let end = 1; end <= 70; end += 1) {
    for (let start = 0; start < end; start += 1) {
      let width = 1;
      while (width < end - start) width *= 2;
      if (start % width === 0) subtrees.push({ start, end });
    }
  }

  test("from leaf 0 they are RFC 9162's consistency proofs", () => {
    for (let to = 1; to <= 70; to += 1) {
      for (let from = 1; from <= to; from += 1) {
        expect(subtreeConsistencyRanges(0, from, to)).toEqual(consistencyRanges(from, to));
      }
    }
  });

  test("inclusion in every subtree within 70 leaves verifies against the subtree's hash", () => {
    for (const { start, end } of subtrees) {
      const subRoot = hashOfRange({ start, end });
      expect(subRoot).toEqual(rootOf(leafHashes.slice(start, end)));
      for (let index = start; index < end; index += 1) {
        const proof = proofOf(subtreeInclusionRanges(index, start, end));
        expect(verifySubtreeInclusion(leafHashes[index], index, start, end, proof, subRoot)).toBe(
          true,
        );
      }
    }
  });

  test("every subtree within 70 leaves is consistent with every tree that holds it; a flipped bit is not", () => {
    for (const { start, end } of subtrees) {
      const subRoot = hashOfRange({ start, end });
      for (let size = end; size <= 70; size += 1) {
        const proof = proofOf(subtreeConsistencyRanges(start, end, size));
        const root = rootAt(size);
        expect(verifySubtreeConsistency(start, end, size, proof, subRoot, root)).toBe(true);
        if (proof.length > 0) {
          const bad = flipped(proof, size % proof.length, start + end, size % 8);
          expect(verifySubtreeConsistency(start, end, size, bad, subRoot, root)).toBe(false);
        }
      }
    }
  });
});
