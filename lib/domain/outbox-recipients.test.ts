import { describe, expect, it } from "vitest";
import { describeOutboxRow, hostOf, type TOutboxFacts } from "./outbox-recipients";

const patch = { id: "p1", number: 12, title: "Fix the login form" };
const system: NonNullable<TOutboxFacts["system"]> = {
  slug: "webdb",
  systemLogAddress: "cacert-systemlog@lists.example.org",
  assessmentTeamAddress: "assessors@example.org",
  trackerKind: "MANTIS",
  trackerUrl: "https://bugs.example.org/api/rest",
  mirrorUrls: ["sftp://mirror@test1.example.org:2222/srv/tarballs", "sftp://m@test2.example.org/x"],
};

describe("an outbox row in words (who receives what, as the worker's handlers do)", () => {
  const cases: [string, TOutboxFacts, string][] = [
    [
      "deployment.notify",
      { patch, system },
      "the system-log list cacert-systemlog@lists.example.org",
    ],
    ["deployment.reply", { patch, system }, "the assessment team assessors@example.org"],
    ["patch.apply-failed", { patch, system }, "the assessment team assessors@example.org"],
    ["deployment.bug-update", { patch, system }, "the bug tracker (MantisBT at bugs.example.org)"],
    [
      "deployment.mirror",
      { patch, system },
      "the test servers test1.example.org and test2.example.org (SFTP)",
    ],
    [
      "deployment.notify",
      { patch, system: { ...system, systemLogAddress: null } },
      "the system-log list (not set)",
    ],
    [
      "deployment.bug-update",
      { patch, system: { ...system, trackerKind: null, trackerUrl: null } },
      "the bug tracker (not set for webdb)",
    ],
    [
      "deployment.mirror",
      { patch, system: { ...system, mirrorUrls: [] } },
      "the test servers (not set)",
    ],
    [
      "emergency.declared",
      { emergency: { number: 3, title: "Login bypass" } },
      "all teams (developers, assessors, testers, critical admins and access engineers)",
    ],
    [
      "emergency.reminder",
      { emergency: { number: 3, title: "x" }, team: "TESTERS" },
      "the testers",
    ],
    ["dispute.filed", { dispute: { number: 2, emergencyNumber: 3 } }, "the arbitrators"],
    [
      "user.password-link",
      { user: { name: "Ada Lovelace", email: "ada@example.org" } },
      "Ada Lovelace <ada@example.org>",
    ],
    [
      "package.post-update",
      {
        installation: {
          slug: "i1",
          name: "Shop",
          postUpdateUrl: "https://hooks.example.org/x?t=1",
        },
      },
      "the post-update URL at hooks.example.org",
    ],
    ["unknown.kind", {}, "—"],
  ];
  for (const [kind, facts, to] of cases)
    it(`${kind} → ${to}`, () => expect(describeOutboxRow(kind, facts).to).toBe(to));

  it("names the patch with its number and title, and links deployment rows to the deployment page", () => {
    expect(describeOutboxRow("deployment.notify", { patch, system }).about).toEqual({
      label: "Patch #12 Fix the login form",
      href: "/patches/p1/deployment",
    });
    expect(
      describeOutboxRow("dispute.ruled", { dispute: { number: 2, emergencyNumber: 3 } }).about,
    ).toEqual({ label: "Dispute #2 (emergency #3)", href: "/disputes/2" });
    expect(
      describeOutboxRow("emergency.escalation", { emergency: { number: 3, title: "Login bypass" } })
        .about,
    ).toEqual({ label: "Emergency #3 Login bypass", href: "/emergencies/3" });
    expect(describeOutboxRow("deployment.notify", {}).about).toBeNull();
  });

  it("shows only a URL's host: no user, password, path or token", () => {
    expect(hostOf("sftp://user:secret@h.example.org:22/p")).toBe("h.example.org");
    expect(hostOf("https://bugs.example.org/api?token=abc")).toBe("bugs.example.org");
    expect(hostOf(null)).toBe("not set");
    expect(hostOf("no url")).toBe("an address that is not a URL");
  });
});
