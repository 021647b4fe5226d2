import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { GENESIS_HASH } from "../domain/audit-canonical";
import { auditHash } from "./audit-chain";
import { eventLeafHash, leafIndexOfSeq, leafOfEvent } from "./audit-leaf";
import { inclusionRanges, rootOf, verifyInclusion } from "./merkle";

// A short chain whose payloads hold non-ASCII text, so the leaf must be the
// UTF-8 bytes the chain hashes, not UTF-16 or Latin-1.
const events = ["Zoë signs", "émergence 🚨", "plain"].reduce<
  (Parameters<typeof auditHash>[0] & { hash: string })[]
>((chain, title, i) => {
  const e = {
    seq: BigInt(i + 1),
    at: new Date(Date.UTC(2026, 11, 3, 7, 0, i)),
    actorId: "u1",
    actorLabel: "Zoë <zoe@example.org>",
    action: "emergency.opened",
    subjectType: "emergency",
    subjectId: `e${i}`,
    payload: { title },
    prevHash: chain.at(-1)?.hash ?? GENESIS_HASH,
  };
  return [...chain, { ...e, hash: auditHash(e) }];
}, []);

describe("audit events as leaves", () => {
  test("SHA-256 of each leaf is the event's chain hash", () => {
    for (const e of events) {
      expect(createHash("sha256").update(leafOfEvent(e)).digest("hex")).toBe(e.hash);
    }
  });

  test("the leaf hash is SHA-256(0x00 ‖ leaf) and proves the event's inclusion at seq − 1", () => {
    const hashes = events.map(eventLeafHash);
    const root = rootOf(hashes);
    for (const e of events) {
      const expected = createHash("sha256")
        .update(Uint8Array.of(0))
        .update(leafOfEvent(e))
        .digest();
      expect(Buffer.from(eventLeafHash(e))).toEqual(expected);
      const index = leafIndexOfSeq(e.seq);
      const proof = inclusionRanges(index, events.length).map((r) =>
        rootOf(hashes.slice(r.start, r.end)),
      );
      expect(verifyInclusion(eventLeafHash(e), index, events.length, proof, root)).toBe(true);
    }
  });

  test("an edited event no longer has the leaf hash the tree holds", () => {
    const edited = { ...events[1], payload: { title: "something else" } };
    expect(eventLeafHash(edited)).not.toEqual(eventLeafHash(events[1]));
  });

  test("seq 1 is leaf 0; there is no seq 0", () => {
    expect(leafIndexOfSeq(1n)).toBe(0);
    expect(leafIndexOfSeq(12)).toBe(11);
    expect(() => leafIndexOfSeq(0n)).toThrow(RangeError);
  });
});
