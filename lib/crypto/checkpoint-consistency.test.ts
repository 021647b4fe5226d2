import { describe, expect, it } from "vitest";
import { consistencyRanges, EMPTY_ROOT, foldParts, leafHash, perfectParts, rootOf } from "./merkle";
import { inconsistency, proofNeeded } from "./checkpoint-consistency";

// Two checkpoints of trees built here: the prefix relation holds or fails as
// the leaves say, whichever of the two is given first.

const leaves = (n: number, tag = "") =>
  Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}${tag}`)));
const head = (hashes: Uint8Array[]) => ({ size: hashes.length, root: rootOf(hashes) });
const proof = (hashes: Uint8Array[], from: number, to: number) =>
  consistencyRanges(from, to).map((r) =>
    foldParts(
      perfectParts(r).map((p) =>
        rootOf(hashes.slice(p.index << p.level, (p.index + 1) << p.level)),
      ),
    ),
  );

describe("inconsistency", () => {
  const tree = leaves(11);

  it("accepts a prefix by its consistency proof, in either order", () => {
    const p = proof(tree, 6, 11);
    expect(proofNeeded(head(tree.slice(0, 6)), head(tree))).toEqual({ from: 6, to: 11 });
    expect(inconsistency(head(tree.slice(0, 6)), head(tree), p)).toBeNull();
    expect(inconsistency(head(tree), head(tree.slice(0, 6)), p)).toBeNull();
  });

  it("names a fork: one leaf of the earlier tree rewritten", () => {
    const forked = [...tree];
    forked[2] = leafHash(new TextEncoder().encode("rewritten"));
    expect(inconsistency(head(tree.slice(0, 6)), head(forked), proof(forked, 6, 11))).toMatch(
      /from size 6 to 11 does not verify.*forked/,
    );
  });

  it("names two roots for one size, and asks for a proof it lacks", () => {
    expect(inconsistency(head(tree), head(leaves(11, "x")), null)).toMatch(
      /different roots for the same tree size 11/,
    );
    expect(inconsistency(head(tree), head(tree), null)).toBeNull();
    expect(inconsistency(head(tree.slice(0, 3)), head(tree), null)).toMatch(/no consistency proof/);
  });

  it("takes the empty tree as a prefix of any tree, only with the empty root", () => {
    expect(proofNeeded({ size: 0, root: EMPTY_ROOT }, head(tree))).toBeNull();
    expect(inconsistency({ size: 0, root: EMPTY_ROOT }, head(tree), null)).toBeNull();
    expect(inconsistency({ size: 0, root: tree[0] }, head(tree), null)).toMatch(/size 0/);
  });
});
