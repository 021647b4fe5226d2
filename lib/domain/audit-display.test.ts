import { describe, expect, it } from "vitest";
import { fieldLabel, payloadFields, subjectLink } from "./audit-display";

describe("an audit event's subject reads as words and links to its page", () => {
  const cases: [
    string,
    string,
    Parameters<typeof subjectLink>[2],
    ReturnType<typeof subjectLink>,
  ][] = [
    [
      "patch",
      "p1",
      { patch: { number: 7, title: "Fix login" } },
      { label: "Patch #7 Fix login", href: "/patches/p1" },
    ],
    [
      "emergency",
      "e1",
      { emergency: { number: 3, title: "Login bypass" } },
      { label: "Emergency #3 Login bypass", href: "/emergencies/3" },
    ],
    ["dispute", "d1", { dispute: { number: 2 } }, { label: "Dispute #2", href: "/disputes/2" }],
    [
      "deployment",
      "r1",
      { deployment: { patchId: "p1", patchNumber: 7 } },
      { label: "Deployment of patch #7", href: "/patches/p1/deployment" },
    ],
    [
      "update",
      "u1",
      { update: { number: 4, title: "Apache 2.4.62" } },
      { label: "Update #4 Apache 2.4.62", href: "/updates/u1" },
    ],
    [
      "hotfix",
      "h1",
      { hotfix: { name: "HF 1/2" } },
      { label: "Hotfix HF 1/2", href: "/hotfixes/HF%201%2F2" },
    ],
    [
      "package",
      "k1",
      { package: { fileName: "OS4X_UPDATE" } },
      { label: "Package OS4X_UPDATE", href: "/packages/k1" },
    ],
    [
      "installation",
      "i1",
      { installation: { slug: "shop", name: "Shop" } },
      { label: "Installation Shop", href: "/installations/shop" },
    ],
    ["user", "usr1", { user: { name: "Ada" } }, { label: "Account of Ada" }],
    // A record since deleted, or an unknown type: still words, no broken link.
    ["emergency", "gone", {}, { label: "Emergency gone" }],
    ["dispute", "cm12345678901234567890", {}, { label: "Dispute cm1234567890…" }],
    ["thing", "x", {}, { label: "thing x" }],
  ];
  for (const [type, id, facts, want] of cases)
    it(`${type} → ${want.label}`, () => expect(subjectLink(type, id, facts)).toEqual(want));
});

describe("an audit payload reads as labelled fields, not JSON", () => {
  it("labels keys in words", () => {
    expect(fieldLabel("diffSha256")).toBe("diff SHA-256");
    expect(fieldLabel("statementId")).toBe("statement");
    expect(fieldLabel("tracker-secret-env")).toBe("tracker secret env");
    expect(fieldLabel("trackerUrl")).toBe("tracker URL");
    expect(fieldLabel("hoursBefore")).toBe("hours before");
  });
  it("flattens nested objects, words booleans and lists, and marks hashes for wrapping", () => {
    const hash = "a".repeat(64);
    expect(
      payloadFields({
        kind: "review",
        diffSha256: hash,
        ok: true,
        roles: ["ASSESSOR", "TESTER"],
        none: [],
        reason: null,
        ruling: { verdict: "justified", by: "Ari" },
      }),
    ).toEqual([
      { label: "kind", value: "review", mono: false },
      { label: "diff SHA-256", value: hash, mono: true },
      { label: "ok", value: "yes", mono: false },
      { label: "roles", value: "ASSESSOR, TESTER", mono: false },
      { label: "none", value: "none", mono: false },
      { label: "reason", value: "—", mono: false },
      { label: "ruling · verdict", value: "justified", mono: false },
      { label: "ruling · by", value: "Ari", mono: false },
    ]);
    expect(payloadFields({ expiresAt: "2026-12-03T14:59:29.251Z" })).toEqual([
      { label: "expires at", value: "2026-12-03 14:59:29 UTC", mono: false },
    ]);
    // Row ids, cuid or UUID, are codes too.
    const uuid = "0b7e1c7a-5f3e-4c1b-9d2a-8f6e4a3b2c1d";
    expect(payloadFields({ statementId: uuid, patchId: "cmiq1x2y3z4a5b6c7d8e9f0g" })).toEqual([
      { label: "statement", value: uuid, mono: true },
      { label: "patch", value: "cmiq1x2y3z4a5b6c7d8e9f0g", mono: true },
    ]);
    expect(payloadFields({})).toEqual([]);
    expect(payloadFields(null)).toEqual([]);
  });
});
