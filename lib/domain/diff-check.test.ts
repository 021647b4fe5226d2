import { describe, expect, it } from "vitest";
import { checkUnifiedDiff } from "./diff-check";

const bytes = (s: string) => new TextEncoder().encode(s);
const ok = `--- a/www/account.php\t2013-10-01\n+++ b/www/account.php\t2013-10-02\n@@ -1,3 +1,3 @@\n line\n-old\n+new\n line\n`;

function reason(text: string | Uint8Array) {
  try {
    checkUnifiedDiff(typeof text === "string" ? bytes(text) : text);
    return "accepted";
  } catch (e) {
    return (e as { details: { reason: string } }).details.reason;
  }
}

describe("checkUnifiedDiff", () => {
  it("accepts a unified diff and names its files", () => {
    expect(checkUnifiedDiff(bytes(ok))).toEqual({
      files: [{ path: "www/account.php", added: 1, removed: 1 }],
    });
  });

  it("accepts created and deleted files (/dev/null)", () => {
    const created = `--- /dev/null\n+++ b/www/new.php\n@@ -0,0 +1 @@\n+hello\n`;
    expect(checkUnifiedDiff(bytes(created)).files[0].path).toBe("www/new.php");
  });

  it("accepts Latin-1 bytes in the content", () => {
    const [head, tail] = ok.split("+new");
    const latin = Buffer.concat([
      Buffer.from(head + "+caf"),
      Buffer.from([0xe9]),
      Buffer.from(tail),
    ]);
    expect(reason(latin)).toBe("accepted");
  });

  it.each([
    ["empty", ""],
    ["empty", "  \n\n"],
    ["not-a-diff", "just some text\n"],
    ["not-a-diff", "diff --git a/x b/x\n"],
    ["absolute-path", ok.replace("a/www/account.php", "/etc/passwd")],
    ["dotdot-path", ok.replace("b/www/account.php", "b/../../etc/passwd")],
    ["absolute-path", ok.replace("a/www/account.php", "a//etc/cron.d/x")],
    ["absolute-path", ok.replace("b/www/account.php", "b//etc/cron.d/x")],
    ["dotdot-path", ok.replace("a/www/account.php", '"a/\\056\\056/etc/passwd"')],
    ["dotdot-path", `diff --git a/../../etc/passwd b/../../etc/passwd\n${ok}`],
    ["absolute-path", `diff --git a//etc/cron.d/x b//etc/cron.d/x\n${ok}`],
    ["absolute-path", `diff --git /etc/passwd /etc/passwd\n${ok}`],
    ["dotdot-path", `diff --git "a/\\056\\056/x" b/www/account.php\n${ok}`],
    [
      "dotdot-path",
      `diff --git a/www/account.php b/www/account.php\nsimilarity index 90%\nrename from ../../etc/passwd\nrename to www/account.php\n${ok}`,
    ],
    [
      "absolute-path",
      `diff --git a/www/account.php b/www/account.php\nsimilarity index 90%\nrename from www/account.php\nrename to /etc/cron.d/x\n${ok}`,
    ],
    [
      "dotdot-path",
      `diff --git a/www/account.php b/www/account.php\nsimilarity index 90%\ncopy from www/account.php\ncopy to ../outside.php\n${ok}`,
    ],
    [
      "absolute-path",
      `diff --git a/www/account.php b/www/account.php\ncopy from /etc/shadow\ncopy to www/account.php\n${ok}`,
    ],
    ["binary", "diff --git a/x.png b/x.png\nGIT binary patch\nliteral 5\nabc\n"],
    ["binary", "diff --git a/x.png b/x.png\nBinary files a/x.png and b/x.png differ\n"],
    ["malformed", "--- a/x\n+++ b/x\n@@ -1,3 +1 @@\n-a\n+b\n"],
  ])("refuses %s", (expected, text) => {
    expect(reason(text)).toBe(expected);
  });

  it("accepts git's extended headers with relative paths (a rename inside the tree)", () => {
    const renamed = `diff --git a/www/old.php b/www/account.php\nsimilarity index 90%\nrename from www/old.php\nrename to www/account.php\nindex 1111111..2222222 100644\n${ok}`;
    expect(reason(renamed)).toBe("accepted");
  });

  it("refuses NUL bytes", () => {
    expect(reason(new Uint8Array([...bytes(ok), 0]))).toBe("binary");
  });
});

describe("checkUnifiedDiff and symbolic links", () => {
  const link = (header: string) =>
    `diff --git a/www/conf b/www/conf\n${header}\n--- /dev/null\n+++ b/www/conf\n@@ -0,0 +1 @@\n+/etc/shadow\n\\ No newline at end of file\n`;

  it.each([
    ["a created link", "new file mode 120000\nindex 0000000..1234567"],
    ["a file turned into a link", "old mode 100644\nnew mode 120000"],
    ["a link retargeted", "index 1234567..89abcde 120000"],
  ])("refuses %s (mode 120000), naming the file", (_, header) => {
    expect(reason(link(header))).toBe("symlink");
    expect(() => checkUnifiedDiff(bytes(link(header)))).toThrow(
      "The diff makes a symbolic link (mode 120000) in a/www/conf b/www/conf; symbolic links are not accepted.",
    );
  });

  it("accepts a new regular file and a link removed", () => {
    expect(reason(link("new file mode 100644\nindex 0000000..1234567"))).toBe("accepted");
    const removed = `diff --git a/www/conf b/www/conf\ndeleted file mode 120000\n--- a/www/conf\n+++ /dev/null\n@@ -1 +0,0 @@\n-/etc/shadow\n\\ No newline at end of file\n`;
    expect(reason(removed)).toBe("accepted");
  });
});
