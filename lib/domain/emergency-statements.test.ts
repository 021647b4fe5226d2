import { describe, expect, it } from "vitest";
import { buildEmergencyStatement, fromNonceKind, nonceKind } from "./emergency-statements";
import { parseStatement } from "./statements";

describe("emergency statements", () => {
  it("use the patch statements' format and read back", () => {
    const text = buildEmergencyStatement({
      kind: "ruling",
      verdict: "justified",
      emergencyId: "em1",
      emergencyNumber: 3,
      system: "webdb",
      disputeId: "d1",
      disputeNumber: 1,
      signerId: "u1",
      signerEmail: "ari@example.org",
      keyFingerprint: "ABCD",
      nonce: "n1",
      issuedAt: new Date("2026-03-01T00:00:00Z"),
      comment: "Option 2 was right:\r\nthe testers were away.  ",
    });
    expect(text.split("\n")[0]).toBe("patchgate-statement v1");
    expect(text).toContain("\nemergency-number: 3\n");
    expect(parseStatement(text)).toMatchObject({
      kind: "ruling",
      verdict: "justified",
      dispute: "d1",
      nonce: "n1",
      comment: "Option 2 was right:\nthe testers were away.",
    });
  });

  it("refuses a field that would add a line", () => {
    expect(() =>
      buildEmergencyStatement({
        kind: "gate",
        gate: "test\nkind: ruling",
        emergencyId: "e",
        emergencyNumber: 1,
        system: "s",
        signerId: "u",
        signerEmail: "e",
        keyFingerprint: "K",
        nonce: "n",
        issuedAt: new Date(),
        comment: "",
      }),
    ).toThrow(/single line/);
  });

  it("namespaces nonce kinds", () => {
    expect(nonceKind("gate")).toBe("emergency.gate");
    expect(fromNonceKind("emergency.ruling")).toBe("ruling");
    expect(fromNonceKind("review")).toBeUndefined();
  });
});
