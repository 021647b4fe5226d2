import { describe, expect, it } from "vitest";
import { auditCanonicalEncoding, GENESIS_HASH } from "./audit-canonical";
import { auditHash, verifyAuditChain, type TStoredAuditEvent } from "../crypto/audit-chain";

const base = {
  seq: 1n,
  at: new Date("2026-11-25T10:00:00.123Z"),
  actorId: "u1",
  actorLabel: "alice@example.org",
  action: "user.created",
  subjectType: "user",
  subjectId: "u2",
  payload: { name: "Bob", email: "bob@example.org" },
  prevHash: GENESIS_HASH,
};

describe("audit canonical encoding", () => {
  it("is RFC 8785 JSON: sorted keys, no whitespace, seq as a string", () => {
    expect(auditCanonicalEncoding(base)).toBe(
      '{"action":"user.created","actorId":"u1","actorLabel":"alice@example.org","at":"2026-11-25T10:00:00.123Z",' +
        '"payload":{"email":"bob@example.org","name":"Bob"},"prevHash":"' +
        GENESIS_HASH +
        '","seq":"1",' +
        '"subjectId":"u2","subjectType":"user","v":1}',
    );
  });

  it("does not depend on the order of payload keys", () => {
    const reordered = { ...base, payload: { email: "bob@example.org", name: "Bob" } };
    expect(auditCanonicalEncoding(reordered)).toBe(auditCanonicalEncoding(base));
  });

  it("changes with every field", () => {
    const h = auditHash(base);
    const variants: Partial<typeof base>[] = [
      { seq: 2n },
      { at: new Date(base.at.getTime() + 1) },
      { actorId: "u3" },
      { actorLabel: "x" },
      { action: "user.disabled" },
      { subjectType: "system" },
      { subjectId: "u9" },
      { payload: { name: "Bob", email: "b@x" } },
      { prevHash: "f".repeat(64) },
    ];
    for (const v of variants) expect(auditHash({ ...base, ...v })).not.toBe(h);
  });
});

function chain(n: number): TStoredAuditEvent[] {
  const rows: TStoredAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const row = { ...base, seq: BigInt(i), subjectId: `s${i}`, prevHash: prev };
    const hash = auditHash(row);
    rows.push({ ...row, hash });
    prev = hash;
  }
  return rows;
}

describe("verifyAuditChain", () => {
  it("accepts an intact chain and reports its head", () => {
    const rows = chain(5);
    expect(verifyAuditChain(rows)).toEqual({
      ok: true,
      count: 5,
      head: { seq: 5n, hash: rows[4].hash },
    });
  });

  it("names the edited row", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], payload: { name: "Mallory" } };
    expect(verifyAuditChain(rows)).toMatchObject({ ok: false, firstBadSeq: 3n });
  });

  it("names the first missing row", () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyAuditChain(rows)).toMatchObject({ ok: false, firstBadSeq: 2n });
  });

  it("detects rows swapped, even with their sequence numbers swapped back", () => {
    const rows = chain(5);
    const [a, b] = [rows[1], rows[2]];
    rows[1] = { ...b, seq: 2n };
    rows[2] = { ...a, seq: 3n };
    expect(verifyAuditChain(rows)).toMatchObject({ ok: false, firstBadSeq: 2n });
  });
});
