import { describe, expect, it } from "vitest";
import { header, textPart } from "./mime";

describe("the MIME writer for signed parts", () => {
  it("makes a 7-bit CRLF part: trailing spaces and a leading From are encoded", () => {
    const part = textPart("Grüße  \nFrom here\nplain\n");
    expect(part).toMatch(
      /^Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/,
    );
    expect(part).not.toMatch(/[^\x00-\x7f]/);
    expect(part).not.toMatch(/[^\r]\n/);
    expect(part).toContain("Gr=C3=BC=C3=9Fe =20\r\n=46rom here\r\nplain\r\n");
  });

  it("folds long headers, encodes non-ASCII words and refuses line breaks (header injection)", () => {
    const h = header(
      "Subject",
      "[webdb] Patch #1 installed: a rather long title that goes on and on beyond seventy-eight columns",
    );
    expect(h.split("\r\n").every((l) => l.length <= 78)).toBe(true);
    expect(header("Subject", "Grüße")).toMatch(/^Subject: =\?UTF-8\?Q\?/);
    expect(() => header("Subject", "x\r\nBcc: victim@example.org")).toThrow(/line breaks/);
  });
});
