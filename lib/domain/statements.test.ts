import { describe, expect, it } from "vitest";
import { buildStatement, parseStatement, STATEMENT_HEADER, VERDICTS_BY_KIND } from "./statements";
import { parseLineComments } from "./line-comments";

const fields = {
  kind: "review" as const,
  verdict: "approve",
  patchId: "cm123",
  patchNumber: 7,
  revision: 2,
  system: "webdb",
  diffSha256: "a".repeat(64),
  bugId: "1234",
  signerId: "u1",
  signerEmail: "ada@example.org",
  keyFingerprint: "ABCD".repeat(10),
  nonce: "n0nce",
  issuedAt: new Date("2026-11-25T10:00:00.000Z"),
  comment: "Looks right.\r\nChecked the SQL escaping.  ",
};

describe("statements", () => {
  it("are versioned, one field per line, LF only, with the comment after an empty line", () => {
    expect(buildStatement(fields)).toBe(
      [
        STATEMENT_HEADER,
        "kind: review",
        "verdict: approve",
        "patch: cm123",
        "patch-number: 7",
        "revision: 2",
        "system: webdb",
        "diff-sha256: " + "a".repeat(64),
        "bug: 1234",
        "signer-account: u1",
        "signer-email: ada@example.org",
        "key-fingerprint: " + "ABCD".repeat(10),
        "nonce: n0nce",
        "issued-at: 2026-11-25T10:00:00.000Z",
        "",
        "Looks right.",
        "Checked the SQL escaping.",
        "",
      ].join("\n"),
    );
  });

  it("round-trip through the parser", () => {
    const parsed = parseStatement(buildStatement(fields))!;
    expect(parsed["diff-sha256"]).toBe("a".repeat(64));
    expect(parsed.nonce).toBe("n0nce");
    expect(parsed.comment).toBe("Looks right.\nChecked the SQL escaping.");
  });

  it("refuse a field value with a line break (no field injection)", () => {
    expect(() => buildStatement({ ...fields, bugId: "1\nverdict: reject" })).toThrow(/single line/);
  });

  it("are not parsed when the header, a line or CR line ends are wrong", () => {
    expect(parseStatement("hello")).toBeNull();
    expect(parseStatement(buildStatement(fields).replace("\n", "\r\n"))).toBeNull();
    expect(
      parseStatement(
        buildStatement(fields).replace("kind: review\n", "kind: review\nkind: test\n"),
      ),
    ).toBeNull();
  });

  it("withdraw: kind and verdict withdraw, the reason as the signed comment, v1 fields unchanged", () => {
    const text = buildStatement({
      ...fields,
      kind: "withdraw",
      verdict: "withdraw",
      comment: "Superseded by upstream 1.2.3.\r\nNo longer needed.",
    });
    expect(VERDICTS_BY_KIND.withdraw).toEqual(["withdraw"]);
    expect(text).toBe(
      [
        STATEMENT_HEADER,
        "kind: withdraw",
        "verdict: withdraw",
        "patch: cm123",
        "patch-number: 7",
        "revision: 2",
        "system: webdb",
        "diff-sha256: " + "a".repeat(64),
        "bug: 1234",
        "signer-account: u1",
        "signer-email: ada@example.org",
        "key-fingerprint: " + "ABCD".repeat(10),
        "nonce: n0nce",
        "issued-at: 2026-11-25T10:00:00.000Z",
        "",
        "Superseded by upstream 1.2.3.",
        "No longer needed.",
        "",
      ].join("\n"),
    );
    expect(parseStatement(text)).toMatchObject({ kind: "withdraw", comment: expect.any(String) });
  });
});

describe("statements with line comments", () => {
  const withComments = {
    ...fields,
    lineComments: [
      { file: "www/index.php", line: 12, text: "Escape this.\nIt is user input." },
      { file: "www/index.php", line: 30, text: "ok" },
    ],
  };
  it("carry them as numbered fields after issued-at, which the v1 parser reads", () => {
    const text = buildStatement(withComments);
    const head = text.split("\n\n")[0].split("\n");
    expect(head.slice(-3)).toEqual([
      "issued-at: 2026-11-25T10:00:00.000Z",
      'line-comment-1: {"file":"www/index.php","line":12,"text":"Escape this.\\nIt is user input."}',
      'line-comment-2: {"file":"www/index.php","line":30,"text":"ok"}',
    ]);
    const parsed = parseStatement(text)!;
    expect(parsed.comment).toBe("Looks right.\nChecked the SQL escaping.");
    expect(parseLineComments(parsed)).toEqual(withComments.lineComments);
  });
  it("without comments are byte for byte as before", () => {
    expect(buildStatement({ ...fields, lineComments: [] })).toBe(buildStatement(fields));
  });
});
