import { describe, expect, it } from "vitest";
import { isCanonicalPart, notificationPart } from "./notification";

const facts = {
  patch: {
    number: 7,
    title: "Grüße für alle",
    summary: "From now on the list shows revoked certificates.   \nSecond line\twith a tab\n",
    bugId: "1234",
    bugSummary: "If I delete Domains, no Servercerts are listed",
  },
  system: { name: "webdb", slug: "webdb" },
  revision: { number: 2, diffSha256: "d".repeat(64) },
  installedAt: new Date("2026-12-02T10:00:00Z"),
  tarball: { name: "cacert-20261202.tar.gz", sha256: "e".repeat(64) },
  commitMessage: 'Fix for bug #1234\r\n"If I delete Domains".',
  recordUrl: "https://patchgate.example.org/patches/x/deployment",
};

describe("the notification's MIME part (RFC 3156 canonical form)", () => {
  const part = notificationPart(facts);

  it("is 7-bit with CRLF line ends only and no trailing white space", () => {
    expect(isCanonicalPart(part)).toBe(true);
    expect(part).not.toMatch(/[^\x00-\x7f]/);
    expect(part.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(part).not.toMatch(/[ \t]\r\n/);
  });

  it("carries its own headers, then a blank line, then the quoted-printable body", () => {
    expect(
      part.startsWith(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
      ),
    ).toBe(true);
    expect(part).toContain("Gr=C3=BC=C3=9Fe f=C3=BCr alle");
    // RFC 3156 §3: "From " at a line start is encoded, so no relay mangles it.
    expect(part).toContain("\r\n=46rom now on");
    expect(part).not.toMatch(/\r\nFrom /);
  });

  it("is the same bytes for the same facts, whatever line ends the input had", () => {
    expect(notificationPart({ ...facts })).toBe(part);
    expect(
      notificationPart({ ...facts, commitMessage: 'Fix for bug #1234\n"If I delete Domains".' }),
    ).toBe(part);
  });

  it.each([
    ["a bare LF", "Content-Type: text/plain\r\n\r\nline\nnext\r\n"],
    ["a bare CR", "Content-Type: text/plain\r\n\r\nline\rnext\r\n"],
    ["8-bit text", "Content-Type: text/plain\r\n\r\nGrüße\r\n"],
    ["trailing white space", "Content-Type: text/plain\r\n\r\nline \r\n"],
    ["no header block", "just text\r\n"],
  ])("isCanonicalPart refuses %s", (_what, bad) => {
    expect(isCanonicalPart(bad)).toBe(false);
  });
});
