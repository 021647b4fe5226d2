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
    expect(checkUnifiedDiff(bytes(ok))).toEqual({ files: [{ path: "www/account.php", added: 1, removed: 1 }] });
  });

  it("accepts created and deleted files (/dev/null)", () => {
    const created = `--- /dev/null\n+++ b/www/new.php\n@@ -0,0 +1 @@\n+hello\n`;
    expect(checkUnifiedDiff(bytes(created)).files[0].path).toBe("www/new.php");
  });

  it("accepts Latin-1 bytes in the content", () => {
    const [head, tail] = ok.split("+new");
    const latin = Buffer.concat([Buffer.from(head + "+caf"), Buffer.from([0xe9]), Buffer.from(tail)]);
    expect(reason(latin)).toBe("accepted");
  });

  it.each([
    ["empty", ""],
    ["empty", "  \n\n"],
    ["not-a-diff", "just some text\n"],
    ["not-a-diff", "diff --git a/x b/x\n"],
    ["absolute-path", ok.replace("a/www/account.php", "/etc/passwd")],
    ["dotdot-path", ok.replace("b/www/account.php", "b/../../etc/passwd")],
    ["binary", "diff --git a/x.png b/x.png\nGIT binary patch\nliteral 5\nabc\n"],
    ["binary", "diff --git a/x.png b/x.png\nBinary files a/x.png and b/x.png differ\n"],
    ["malformed", "--- a/x\n+++ b/x\n@@ -1,3 +1 @@\n-a\n+b\n"],
  ])("refuses %s", (expected, text) => {
    expect(reason(text)).toBe(expected);
  });

  it("refuses NUL bytes", () => {
    expect(reason(new Uint8Array([...bytes(ok), 0]))).toBe("binary");
  });
});
