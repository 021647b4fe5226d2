import { describe, expect, it } from "vitest";
import { parseSha256sumLine, recordedTarball, ZTarballEvidence } from "./tarball";

const H = "a".repeat(64);
const H2 = "b".repeat(64);

describe("parseSha256sumLine", () => {
  it.each([
    [`${H}  cacert-20261202.tar.gz`, { sha256: H, name: "cacert-20261202.tar.gz" }],
    [`${H} *cacert-20261202.tar.gz`, { sha256: H, name: "cacert-20261202.tar.gz" }],
    [
      `${H.toUpperCase()}  /home/cacert/www/tmp/cacert.tar.bz2\n`,
      { sha256: H, name: "cacert.tar.bz2" },
    ],
    [`  ${H}  cacert.tar.gz  `, { sha256: H, name: "cacert.tar.gz" }],
    [`${H} cacert.tar.gz`, null],
    [`${H.slice(1)}  cacert.tar.gz`, null],
    [`${H}  ../`, null],
    [`${H}  my tarball.tar.gz`, null],
    [`${H}  a.tar.gz\n${H2}  b.tar.gz`, null],
    ["", null],
  ])("%j -> %j", (line, expected) => {
    expect(parseSha256sumLine(line)).toEqual(expected);
  });
});

describe("step 7's evidence", () => {
  const ok = (input: unknown) => ZTarballEvidence.safeParse(input);
  it.each([
    [
      "name and hash (the upload)",
      { tarball: "c.tar.gz", tarballSha256: H.toUpperCase() },
      { tarball: "c.tar.gz", tarballSha256: H },
    ],
    [
      "the pasted line",
      { sha256sum: `${H}  /tmp/c.tar.gz` },
      { tarball: "c.tar.gz", tarballSha256: H, sha256sum: `${H}  /tmp/c.tar.gz` },
    ],
    [
      "blank form fields beside the line",
      { tarball: "", tarballSha256: "", sha256sum: `${H}  c.tar.gz` },
      { tarball: "c.tar.gz", tarballSha256: H, sha256sum: `${H}  c.tar.gz` },
    ],
    [
      "line and fields that agree",
      { tarball: "c.tar.gz", tarballSha256: H, sha256sum: `${H}  c.tar.gz` },
      { tarball: "c.tar.gz", tarballSha256: H, sha256sum: `${H}  c.tar.gz` },
    ],
  ])("accepts %s", (_what, input, expected) => {
    expect(ok(input)).toMatchObject({ success: true, data: expected });
  });

  it.each([
    ["nothing", {}, /Name the new tarball|required|expected string/i],
    ["a name without a hash (today's form)", { tarball: "c.tar.gz" }, /SHA-256|expected string/i],
    ["a path as the name", { tarball: "/tmp/c.tar.gz", tarballSha256: H }, /file name/],
    ["a short hash", { tarball: "c.tar.gz", tarballSha256: "abc" }, /64 hexadecimal/],
    ["an unreadable line", { sha256sum: "c.tar.gz: OK" }, /Paste one line of sha256sum/],
    [
      "a line naming another file",
      { tarball: "d.tar.gz", sha256sum: `${H}  c.tar.gz` },
      /another file or hash/,
    ],
    [
      "a line with another hash",
      { tarballSha256: H2, sha256sum: `${H}  c.tar.gz` },
      /another file or hash/,
    ],
  ])("refuses %s", (_what, input, message) => {
    const r = ok(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join(" ")).toMatch(message);
  });
});

describe("recordedTarball", () => {
  it.each([
    [
      { tarball: "c.tar.gz", tarballSha256: H },
      { name: "c.tar.gz", sha256: H },
    ],
    [{ tarball: "c.tar.gz" }, { name: "c.tar.gz", sha256: null }],
    [{ tarball: "../etc/passwd", tarballSha256: H }, null],
    [null, null],
  ])("%j -> %j", (evidence, expected) => {
    expect(recordedTarball(evidence)).toEqual(expected);
  });
});
