import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildPackageStatement, modeName, readPackageStatement } from "./package-statements";
import { parseStatement } from "./statements";
import { evidenceText } from "./step-statement";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const base = {
  installation: "os4x-prod",
  packageId: "cpkg1",
  packageSha256: "a".repeat(64),
  contentSha256: "b".repeat(64),
  signerSubject: "CN=c-works software update",
  signerId: "u1",
  signerEmail: "admin@example.org",
  keyFingerprint: "F".repeat(40),
  nonce: "n".repeat(32),
  issuedAt: new Date("2026-12-02T17:00:00Z"),
};

describe("package statements (U4)", () => {
  it("writes a package-apply in the fixed field order and reads it back", () => {
    const text = buildPackageStatement({
      ...base,
      kind: "package-apply",
      verdict: "apply",
      mode: "semi-automatic",
      comment: "applied in the maintenance window",
    });
    expect(text).toBe(
      [
        "patchgate-statement v1",
        "kind: package-apply",
        "verdict: apply",
        "installation: os4x-prod",
        "package: cpkg1",
        `package-sha256: ${"a".repeat(64)}`,
        `content-sha256: ${"b".repeat(64)}`,
        "package-signer: CN=c-works software update",
        "mode: semi-automatic",
        "signer-account: u1",
        "signer-email: admin@example.org",
        `key-fingerprint: ${"F".repeat(40)}`,
        `nonce: ${"n".repeat(32)}`,
        "issued-at: 2026-12-02T17:00:00.000Z",
        "",
        "applied in the maintenance window",
        "",
      ].join("\n"),
    );
    expect(readPackageStatement(parseStatement(text)!, sha)).toEqual({
      kind: "package-apply",
      packageId: "cpkg1",
      packageSha256: "a".repeat(64),
      contentSha256: "b".repeat(64),
    });
  });

  it("carries a step's evidence as canonical JSON, its hash in evidence-sha256", () => {
    const evidence = evidenceText({
      os4xsqd: true,
      os4xrd: true,
      os4xdebugd: true,
      os4xclientd: true,
    });
    const text = buildPackageStatement({
      ...base,
      kind: "package-step",
      verdict: "done",
      mode: "manual",
      step: 10,
      stepKey: "restart-daemons",
      evidenceSha256: sha(evidence),
      comment: evidence,
    });
    expect(text).toContain("mode: manual\nstep: 10\nstep-key: restart-daemons\nevidence-sha256: ");
    expect(text.endsWith(`\n\n${evidence}\n`)).toBe(true);
    expect(readPackageStatement(parseStatement(text)!, sha)?.step).toEqual({
      number: 10,
      key: "restart-daemons",
      evidence: { os4xclientd: true, os4xdebugd: true, os4xrd: true, os4xsqd: true },
      evidenceSha256: sha(evidence),
    });
    // Evidence that is not the hash's, or not canonical, is not a package statement.
    const other = text.replace(evidence, evidenceText({ os4xrd: true }));
    expect(readPackageStatement(parseStatement(other)!, sha)).toBe(null);
    const spaced = text.replace(evidence, evidence.replace(",", ", "));
    expect(readPackageStatement(parseStatement(spaced)!, sha)).toBe(null);
  });

  it("names the modes as the CLI does", () => {
    expect(modeName("SEMI_AUTOMATIC")).toBe("semi-automatic");
    expect(modeName("MANUAL")).toBe("manual");
    expect(modeName("AUTOMATIC")).toBe("automatic");
  });
});
