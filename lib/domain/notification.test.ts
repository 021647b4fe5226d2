import { describe, expect, it } from "vitest";
import { formatInstant, installedAt, notificationLink, notificationText } from "./notification";

const at = (iso: string) => new Date(iso);

describe("installedAt", () => {
  it.each([
    [
      "the apply, when step 5 was done",
      [
        { number: 5, status: "DONE", doneAt: at("2026-12-02T10:00:00Z") },
        { number: 9, status: "DONE", doneAt: at("2026-12-02T10:30:00Z") },
      ],
      "2026-12-02T10:00:00.000Z",
    ],
    [
      "the last hand step when step 5 did not apply (signing server)",
      [
        { number: 2, status: "DONE", doneAt: at("2026-12-02T09:00:00Z") },
        { number: 5, status: "NOT_APPLICABLE", doneAt: null },
        { number: 7, status: "DONE", doneAt: at("2026-12-02T09:40:00Z") },
        { number: 10, status: "DONE", doneAt: at("2026-12-02T11:00:00Z") },
      ],
      "2026-12-02T09:40:00.000Z",
    ],
    ["nothing done", [{ number: 1, status: "PENDING", doneAt: null }], null],
  ])("%s", (_what, steps, expected) => {
    expect(installedAt(steps)?.toISOString() ?? null).toBe(expected);
  });

  it("formats an instant as a UTC date and time", () => {
    expect(formatInstant(at("2026-12-02T14:05:09.123Z"))).toBe("2026-12-02 14:05:09 UTC");
  });
});

describe("the bug note's link to the notification (step 11)", () => {
  const record = "https://patchgate.example.org/patches/p1/deployment";
  const id = "<patchgate.notify.r1@portal.example.org>";
  it.each([
    ["no archive: the deployment record", null, { url: record, where: "record" }],
    ["an empty archive setting: the record", "", { url: record, where: "record" }],
    [
      "an archive that finds messages by id",
      "https://lists.example.org/archive/search?q=msgid:{messageId}",
      {
        url: "https://lists.example.org/archive/search?q=msgid:patchgate.notify.r1%40portal.example.org",
        where: "archive",
      },
    ],
    [
      "an archive without a placeholder: the archive itself",
      "https://lists.example.org/pipermail/cacert-systemlog/",
      { url: "https://lists.example.org/pipermail/cacert-systemlog/", where: "archive" },
    ],
  ])("%s", (_what, archive, expected) => {
    expect(notificationLink(archive, id, record)).toEqual(expected);
  });
});

describe("notificationText", () => {
  const facts = {
    patch: { number: 7, title: "Fix", summary: "Sum.", bugId: "1234", bugSummary: "Broken" },
    system: { name: "webdb", slug: "webdb" },
    revision: { number: 2, diffSha256: "d".repeat(64) },
    installedAt: at("2026-12-02T10:00:00Z"),
    commitMessage: "Fix for bug #1234",
    recordUrl: "https://p.example.org/patches/x/deployment",
  };
  it("names the install time, the tarball and its hash, the commit and the record", () => {
    const text = notificationText({
      ...facts,
      tarball: { name: "c.tar.gz", sha256: "e".repeat(64) },
    });
    expect(text).toContain("was installed on webdb (webdb) at 2026-12-02 10:00:00 UTC.");
    expect(text).toContain(`New source tarball: c.tar.gz\nSHA-256 ${"e".repeat(64)}`);
    expect(text).toContain("Commit message:\nFix for bug #1234");
    expect(text).toContain("Deployment record: https://p.example.org/patches/x/deployment");
  });
  it("says when no tarball was made", () => {
    expect(notificationText({ ...facts, tarball: null })).toContain(
      "No new source tarball was made for this deployment.",
    );
  });
});
