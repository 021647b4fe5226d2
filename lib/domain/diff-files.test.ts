import { describe, expect, it } from "vitest";
import { commentableLines, hexOf, shownDiffRefusal, splitDiff } from "./diff-files";

const GIT = [
  "diff --git a/www/index.php b/www/index.php",
  "index 1111111..2222222 100644",
  "--- a/www/index.php",
  "+++ b/www/index.php",
  "@@ -10,4 +10,5 @@ function main()",
  " keep",
  "-old",
  "-- looks like a header but is a removed line",
  "+new",
  "+newer",
  "+-- added",
  " tail",
  "diff --git a/gone.txt b/gone.txt",
  "deleted file mode 100644",
  "--- a/gone.txt",
  "+++ /dev/null",
  "@@ -1,2 +0,0 @@",
  "-one",
  "-two",
  "",
].join("\n");

const PLAIN = [
  "Only a note before the diff",
  "--- a/one.c\t2026-01-01",
  "+++ b/one.c\t2026-01-02",
  "@@ -1 +1 @@",
  "-a",
  "+b",
  "\\ No newline at end of file",
  "--- two.c",
  "+++ two.c",
  "@@ -3,2 +3,2 @@",
  " x",
  "-y",
  "+z",
].join("\n");

describe("splitDiff", () => {
  it("splits a git diff into files, reading hunks by their counts", () => {
    const d = splitDiff(GIT);
    expect(d.files.map((f) => [f.path, f.deleted, f.added, f.removed])).toEqual([
      ["www/index.php", false, 3, 2],
      ["gone.txt", true, 0, 2],
    ]);
    expect(d.lineCount).toBe(19);
    const first = d.files[0].lines;
    expect(first.map((l) => l.kind)).toEqual([
      "meta",
      "meta",
      "meta",
      "meta",
      "hunk",
      "ctx",
      "del",
      "del",
      "add",
      "add",
      "add",
      "ctx",
    ]);
    expect(first.find((l) => l.text === "+newer")).toMatchObject({ new: 12, index: 10 });
    expect(first.find((l) => l.text === " tail")).toMatchObject({ old: 13, new: 14 });
  });

  it("splits a plain diff -u without git headers; keeps the preamble and notes", () => {
    const d = splitDiff(PLAIN);
    expect(d.preamble.map((l) => l.text)).toEqual(["Only a note before the diff"]);
    expect(d.files.map((f) => f.path)).toEqual(["one.c", "two.c"]);
    expect(d.files[0].lines.at(-1)).toMatchObject({ kind: "note" });
    expect(d.files[1].lines.at(-1)).toMatchObject({ kind: "add", new: 4 });
  });

  it("every diff line lands in exactly one place, in order", () => {
    for (const text of [GIT, PLAIN]) {
      const d = splitDiff(text);
      const idx = [...d.preamble, ...d.files.flatMap((f) => f.lines)].map((l) => l.index);
      expect(idx).toEqual(Array.from({ length: d.lineCount }, (_, i) => i + 1));
    }
  });
});

describe("commentableLines", () => {
  it.each([
    ["www/index.php", 10, true, "context"],
    ["www/index.php", 12, true, "added"],
    ["www/index.php", 14, true, "last context"],
    ["www/index.php", 15, false, "after the hunk"],
    ["www/index.php", 9, false, "before the hunk"],
    ["gone.txt", 2, true, "a deleted file's old line"],
    ["gone.txt", 3, false, "past a deleted file's end"],
  ])("%s:%i is %s (%s)", (file, line, ok) => {
    expect(commentableLines(splitDiff(GIT)).get(file)?.has(line) ?? false).toBe(ok);
  });
});

describe("shownDiffRefusal", () => {
  const sha = "ab".repeat(32);
  it.each([
    ["the hash of the bytes shown", sha, { sha256: sha, revision: 1 }, null],
    ["a statement without a diff hash", undefined, null, null],
    ["nothing shown yet", sha, null, /not been loaded/],
    ["other bytes shown", sha, { sha256: "cd".repeat(32), revision: 1 }, /Not signed/],
  ])("%s", (_, named, shown, expected) => {
    const r = shownDiffRefusal(named, shown);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
  it("hexOf writes lower-case hex", () => {
    expect(hexOf(new Uint8Array([0, 15, 255]))).toBe("000fff");
  });
});
