import { describe, expect, it } from "vitest";
import { consistencyRanges, EMPTY_ROOT, foldParts, leafHash, perfectParts, rootOf } from "./merkle";
import { judgeCheckpoint, proofToFetch } from "./log-watch";

// The monitor's judgement on trees built here: growth with its proof is fine,
// a smaller tree is a rollback, a rewritten leaf or a second root is a fork.

const leaves = Array.from({ length: 9 }, (_, i) =>
  leafHash(new TextEncoder().encode(`event ${i + 1}`)),
);
const head = (hashes: Uint8Array[]) => ({ size: hashes.length, root: rootOf(hashes) });
const proof = (hashes: Uint8Array[], from: number, to: number) =>
  consistencyRanges(from, to).map((r) =>
    foldParts(
      perfectParts(r).map((p) =>
        rootOf(hashes.slice(p.index * 2 ** p.level, (p.index + 1) * 2 ** p.level)),
      ),
    ),
  );

describe("judgeCheckpoint", () => {
  it("keeps the first checkpoint, then accepts the same one and a grown one with its proof", () => {
    const kept = head(leaves.slice(0, 5));
    expect(judgeCheckpoint(null, kept, null)).toMatchObject({ ok: true, kind: "first" });
    expect(proofToFetch(kept, kept)).toBeNull();
    expect(judgeCheckpoint(kept, kept, null)).toMatchObject({ ok: true, kind: "same" });
    expect(proofToFetch(kept, head(leaves))).toEqual({ from: 5, to: 9 });
    expect(judgeCheckpoint(kept, head(leaves), proof(leaves, 5, 9))).toMatchObject({
      ok: true,
      kind: "grown",
    });
    expect(judgeCheckpoint({ size: 0, root: EMPTY_ROOT }, head(leaves), null).ok).toBe(true);
  });

  it("calls a smaller tree a rollback, without asking for a proof", () => {
    const verdict = judgeCheckpoint(head(leaves), head(leaves.slice(0, 8)), null);
    expect(proofToFetch(head(leaves), head(leaves.slice(0, 8)))).toBeNull();
    expect(verdict).toMatchObject({ ok: false, kind: "rollback" });
    expect(verdict.message).toMatch(/ROLLBACK: .*size 8, smaller than the 9/);
  });

  it("calls a rewritten earlier leaf a fork, and so a second root at the same size", () => {
    const forked = [...leaves];
    forked[1] = leafHash(new TextEncoder().encode("event 2, rewritten"));
    const kept = head(leaves.slice(0, 5));
    expect(judgeCheckpoint(kept, head(forked), proof(forked, 5, 9))).toMatchObject({
      ok: false,
      kind: "fork",
    });
    expect(judgeCheckpoint(kept, head(forked.slice(0, 5)), null).message).toMatch(
      /FORK: two different roots for the same tree size 5/,
    );
  });
});
