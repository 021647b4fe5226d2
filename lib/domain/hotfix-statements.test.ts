import { describe, expect, it } from "vitest";
import { parseStatement } from "./statements";
import { buildHotfixStatement } from "./hotfix-statements";

const base = {
  hotfix: "hotfix_frontend_fix_login",
  hotfixSha256: "a".repeat(64),
  product: "sshmgr",
  version: "3.0.0",
  signerId: "u1",
  signerEmail: "cora@example.org",
  keyFingerprint: "F".repeat(40),
  nonce: "n1",
  issuedAt: new Date("2026-12-02T10:00:00Z"),
};

describe("buildHotfixStatement", () => {
  it("writes a verification with how it was verified, yes or no", () => {
    const text = buildHotfixStatement({
      ...base,
      kind: "hotfix-verify",
      server: "fe1",
      serverRole: "frontend",
      action: "apply",
      direct: true,
      maxProcessesZero: false,
      comment: "Logged in on fe1 directly.",
    });
    expect(text).toBe(
      [
        "patchgate-statement v1",
        "kind: hotfix-verify",
        "hotfix: hotfix_frontend_fix_login",
        `hotfix-sha256: ${"a".repeat(64)}`,
        "product: sshmgr",
        "version: 3.0.0",
        "server: fe1",
        "server-role: frontend",
        "action: apply",
        "direct: yes",
        "max-processes-zero: no",
        "signer-account: u1",
        "signer-email: cora@example.org",
        `key-fingerprint: ${"F".repeat(40)}`,
        "nonce: n1",
        "issued-at: 2026-12-02T10:00:00.000Z",
        "",
        "Logged in on fe1 directly.",
        "",
      ].join("\n"),
    );
    expect(parseStatement(text)).toMatchObject({ kind: "hotfix-verify", direct: "yes" });
  });

  it("writes a release without server fields", () => {
    const text = buildHotfixStatement({ ...base, kind: "hotfix-release", comment: "" });
    expect(text).not.toMatch(/server|direct/);
    expect(parseStatement(text)?.kind).toBe("hotfix-release");
  });

  it("refuses a field that would add a line", () => {
    expect(() =>
      buildHotfixStatement({
        ...base,
        kind: "hotfix-release",
        hotfix: "x\nkind: evil",
        comment: "",
      }),
    ).toThrow(/single line/);
  });
});
