import { describe, expect, it } from "vitest";
import { parseStatement } from "./statements";
import {
  buildUpdateStatement,
  readUpdateStatement,
  type TUpdateStatementFields,
} from "./update-statements";

const signer = {
  signerId: "u1",
  signerEmail: "tess@example.org",
  keyFingerprint: "A".repeat(40),
  nonce: "n".repeat(32),
  issuedAt: new Date("2026-12-02T10:00:00Z"),
};
const record = {
  updateId: "upd1",
  updateNumber: 3,
  revision: 2,
  title: "certbot 2.9.0",
  system: "ubuntu",
  packages: ["python-acme", "python-certbot"],
  version: "2.9.0",
  bugId: "1640978",
  bodySha256: "b".repeat(64),
};

describe("update statements", () => {
  it("update-verify names the series, every version and the evidence, and reads back", () => {
    const f: TUpdateStatementFields = {
      ...record,
      ...signer,
      kind: "update-verify",
      verdict: "pass",
      series: ["jammy"],
      versions: { "python-acme": "2.9.0-1~22.04.1", "python-certbot": "2.9.0-1~22.04.1" },
      evidenceSha256: "e".repeat(64),
      comment: "Verified on jammy.\r\n",
    };
    const text = buildUpdateStatement(f);
    expect(text).toContain(
      "\nversions: python-acme=2.9.0-1~22.04.1, python-certbot=2.9.0-1~22.04.1\n",
    );
    expect(text.endsWith("\n\nVerified on jammy.\n")).toBe(true);
    expect(readUpdateStatement(parseStatement(text)!)).toMatchObject({
      kind: "update-verify",
      verdict: "pass",
      series: ["jammy"],
      versions: f.versions,
      evidenceSha256: "e".repeat(64),
    });
  });

  it("update-submit signs the body byte for byte; update-major-ack names the change", () => {
    const body = "x".repeat(5000);
    const submit = buildUpdateStatement({
      ...record,
      ...signer,
      kind: "update-submit",
      verdict: "submit",
      series: ["focal", "jammy"],
      comment: body,
    });
    expect(parseStatement(submit)!.comment).toBe(body);
    const ack = buildUpdateStatement({
      ...record,
      ...signer,
      kind: "update-major-ack",
      verdict: "acknowledge",
      series: ["focal"],
      change: 2,
      changeText: "Dropped --foo; not backwards compatible.",
      changeSha256: "c".repeat(64),
      comment: "",
    });
    expect(readUpdateStatement(parseStatement(ack)!)?.change).toEqual({
      number: 2,
      sha256: "c".repeat(64),
      text: "Dropped --foo; not backwards compatible.",
    });
  });

  it("refuses a verdict its kind does not have, and multi-line fields", () => {
    const f = { ...record, ...signer, series: ["focal"], comment: "" };
    expect(() => buildUpdateStatement({ ...f, kind: "update-review", verdict: "pass" })).toThrow();
    expect(() =>
      buildUpdateStatement({ ...f, kind: "update-review", verdict: "approve", title: "a\nb" }),
    ).toThrow(/single line/);
  });
});
