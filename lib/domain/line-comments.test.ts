import { describe, expect, it } from "vitest";
import { splitDiff } from "./diff-files";
import {
  checkLineComments,
  encodeLineComment,
  lineCommentFields,
  MAX_LINE_COMMENT_CHARS,
  MAX_LINE_COMMENTS,
  parseLineComments,
} from "./line-comments";

const DIFF = splitDiff(
  [
    "--- a/www/a.php",
    "+++ b/www/a.php",
    "@@ -1,3 +1,4 @@",
    " one",
    "+two",
    " three",
    " four",
    "--- a/www/b.php",
    "+++ b/www/b.php",
    "@@ -20,2 +20,2 @@",
    "-x",
    "+y",
    " z",
  ].join("\n"),
);

describe("checkLineComments", () => {
  it("accepts lines of the hunks, normalises the text and sorts by file and line", () => {
    const r = checkLineComments(
      [
        { file: "www/b.php", line: 20, text: "why y?\r\n" },
        { file: "www/a.php", line: 2, text: "  ok  " },
        { file: "www/a.php", line: 1, text: "first" },
      ],
      DIFF,
    );
    expect(r).toEqual({
      ok: true,
      comments: [
        { file: "www/a.php", line: 1, text: "first" },
        { file: "www/a.php", line: 2, text: "ok" },
        { file: "www/b.php", line: 20, text: "why y?" },
      ],
    });
  });

  it.each([
    ["a file not in the diff", { file: "www/c.php", line: 1, text: "x" }, /not in this diff/],
    [
      "a line outside the hunks",
      { file: "www/a.php", line: 9, text: "x" },
      /not in the diff's hunks/,
    ],
    [
      "a removed line's number past the new side",
      { file: "www/b.php", line: 22, text: "x" },
      /hunks/,
    ],
    ["an empty text", { file: "www/a.php", line: 1, text: " \n " }, /empty/],
    [
      "a text over the cap",
      { file: "www/a.php", line: 1, text: "x".repeat(MAX_LINE_COMMENT_CHARS + 1) },
      /at most 1000/,
    ],
  ])("refuses %s", (_, c, message) => {
    const r = checkLineComments([c], DIFF);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].message).toMatch(message);
  });

  it("caps the count and the encoded size", () => {
    const many = Array.from({ length: MAX_LINE_COMMENTS + 1 }, () => ({
      file: "www/a.php",
      line: 1,
      text: "x",
    }));
    expect(checkLineComments(many, DIFF).ok).toBe(false);
    const long = Array.from({ length: 20 }, () => ({
      file: "www/a.php",
      line: 1,
      text: "\u0001".repeat(200),
    }));
    const r = checkLineComments(long, DIFF);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.at(-1)!.message).toMatch(/too long/);
  });
});

describe("line-comment fields", () => {
  const comments = [
    { file: "www/a.php", line: 2, text: 'Say "why".\nTwo lines.' },
    { file: "www/b.php", line: 20, text: "ok" },
  ];
  it("are numbered from 1, one line each, and read back", () => {
    const fields = Object.fromEntries(lineCommentFields(comments));
    expect(fields["line-comment-1"]).toBe(
      '{"file":"www/a.php","line":2,"text":"Say \\"why\\".\\nTwo lines."}',
    );
    expect(parseLineComments({ kind: "review", ...fields })).toEqual(comments);
    expect(parseLineComments({ kind: "review" })).toEqual([]);
  });

  it.each([
    ["a gap in the numbering", { "line-comment-2": encodeLineComment(comments[1]) }],
    ["not JSON", { "line-comment-1": "file=a" }],
    ["a missing key", { "line-comment-1": '{"file":"a","text":"x"}' }],
    ["another key order", { "line-comment-1": '{"line":1,"file":"a","text":"x"}' }],
    [
      "a line that is not a positive integer",
      { "line-comment-1": '{"file":"a","line":0,"text":"x"}' },
    ],
    ["extra keys", { "line-comment-1": '{"file":"a","line":1,"text":"x","by":"eve"}' }],
  ])("do not parse with %s", (_, fields) => {
    expect(parseLineComments(fields)).toBeNull();
  });
});

describe("the example in docs/statements.md", () => {
  it("parses as a v1 statement with two line comments", async () => {
    const { readFileSync } = await import("node:fs");
    const { parseStatement } = await import("./statements");
    const doc = readFileSync(new URL("../../docs/statements.md", import.meta.url), "utf8");
    const block = doc
      .split("```")
      .find((b) => b.includes("line-comment-1:"))!
      .replace(/^\n/, "");
    const parsed = parseStatement(block)!;
    expect(parsed.comment).toBe("See the line comments.");
    expect(parseLineComments(parsed)).toEqual([
      { file: "www/account.php", line: 11, text: "Check $res before use.\nAnd log it." },
      { file: "www/account.php", line: 14, text: '"0 rows" is not an error here.' },
    ]);
  });
});
