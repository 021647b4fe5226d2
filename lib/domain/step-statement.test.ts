import { describe, expect, it } from "vitest";
import { buildStatement, parseStatement } from "./statements";
import { evidenceMatches, evidenceText, readStepStatement, tickVerdict } from "./step-statement";

// X1: the `step` statement's format, read back as a verifier does.

const EVIDENCE = {
  result: "failed",
  output: "patching file www/a.php\nHunk #1 FAILED at 3.",
  backOutOutput: "patching file www/a.php",
  webServerRunning: true,
};

function stepText(evidence: Record<string, unknown>, sha = "e".repeat(64)) {
  return buildStatement({
    kind: "step",
    verdict: tickVerdict(5, evidence),
    patchId: "p1",
    patchNumber: 7,
    revision: 2,
    system: "webdb",
    diffSha256: "d".repeat(64),
    bugId: "1234",
    deploymentId: "dep1",
    step: 5,
    evidenceSha256: sha,
    signerId: "u1",
    signerEmail: "carl@example.org",
    keyFingerprint: "A".repeat(40),
    nonce: "0".repeat(32),
    issuedAt: new Date("2026-12-02T12:00:00.000Z"),
    comment: evidenceText(evidence),
  });
}

describe("step statements", () => {
  it("name the deployment, the step and the evidence's hash in order, and carry the evidence on one line", () => {
    expect(stepText(EVIDENCE)).toBe(
      [
        "patchgate-statement v1",
        "kind: step",
        "verdict: failed",
        "patch: p1",
        "patch-number: 7",
        "revision: 2",
        "system: webdb",
        `diff-sha256: ${"d".repeat(64)}`,
        "bug: 1234",
        "deployment: dep1",
        "step: 5",
        `evidence-sha256: ${"e".repeat(64)}`,
        "signer-account: u1",
        "signer-email: carl@example.org",
        `key-fingerprint: ${"A".repeat(40)}`,
        `nonce: ${"0".repeat(32)}`,
        "issued-at: 2026-12-02T12:00:00.000Z",
        "",
        '{"backOutOutput":"patching file www/a.php","output":"patching file www/a.php\\nHunk #1 FAILED at 3.","result":"failed","webServerRunning":true}',
        "",
      ].join("\n"),
    );
  });

  it("keep evidence longer than a comment's 4000 characters byte for byte", () => {
    const long = { output: "x".repeat(10_000), result: "clean" };
    const read = readStepStatement(parseStatement(stepText(long))!);
    expect(read?.evidence).toEqual(long);
  });

  it("read back the step, verdict and evidence", () => {
    expect(readStepStatement(parseStatement(stepText(EVIDENCE))!)).toMatchObject({
      deploymentId: "dep1",
      number: 5,
      verdict: "failed",
      evidence: EVIDENCE,
      evidenceSha256: "e".repeat(64),
    });
  });

  it.each([
    ["not canonical JSON", (t: string) => t.replace('{"backOutOutput"', '{ "backOutOutput"')],
    ["no evidence hash", (t: string) => t.replace(/evidence-sha256: .*\n/, "")],
    ["a step out of range", (t: string) => t.replace("step: 5", "step: 14")],
    ["an unknown verdict", (t: string) => t.replace("verdict: failed", "verdict: maybe")],
    ["evidence that is not an object", (t: string) => t.replace(/\n\n.*\n$/, "\n\n[1]\n")],
  ])("are not step statements with %s", (_, edit) => {
    const parsed = parseStatement(edit(stepText(EVIDENCE)));
    expect(parsed && readStepStatement(parsed)).toBeFalsy();
  });

  it.each([
    [5, { result: "failed" }, "failed"],
    [5, { result: "clean" }, "done"],
    [4, { result: "failed" }, "done"],
    [1, {}, "done"],
  ] as const)("step %i with %j is %s", (n, evidence, verdict) => {
    expect(tickVerdict(n, evidence)).toBe(verdict);
  });

  it("match the record when every signed field is recorded as signed; the record may add what the server read", () => {
    expect(evidenceMatches({ note: "ok" }, { note: "ok", gates: { reviews: 2 } })).toBe(true);
    expect(evidenceMatches({ note: "ok" }, { note: "changed" })).toBe(false);
    expect(evidenceMatches({ note: "ok" }, {})).toBe(false);
    expect(evidenceMatches({}, null)).toBe(true);
    expect(evidenceMatches({ a: { b: 1, c: 2 } }, { a: { c: 2, b: 1 } })).toBe(true);
  });
});
