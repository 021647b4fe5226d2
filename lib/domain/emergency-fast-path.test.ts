import { describe, expect, it } from "vitest";
import { fastPathSignoffs } from "./emergency-fast-path";
import { buildPatchFacts } from "./patch-facts";
import { derivePatchState, signoffDecision } from "./patch-state";
import type { TMove } from "./emergency-ladder";

const SHA1 = "1".repeat(64);
const SHA2 = "2".repeat(64);
const revisions = [
  { number: 1, diffSha256: SHA1, uploadedById: "dev" },
  { number: 2, diffSha256: SHA2, uploadedById: "dev" },
];
const g = (
  gate: TMove["gate"],
  actorId: string,
  sha256 = SHA2,
  extra: Partial<TMove> = {},
): TMove => ({
  kind: "gate",
  gate,
  actorId,
  sha256,
  ...extra,
});
const prep = (sha256: string): TMove => ({ kind: "option1-patch", actorId: "dev", sha256 });

const stateAfter = (moves: TMove[], testsRequired = 2) =>
  derivePatchState(
    buildPatchFacts({
      authorId: "dev",
      revision: 2,
      revisions,
      policy: { reviewsRequired: 2, testsRequired },
      signoffs: fastPathSignoffs(moves, revisions),
      deployment: null,
      withdrawn: false,
      fastPath: { emergencyNumber: 7 },
    }),
  ).state;

describe("option 1's gates read as the patch's sign-offs (E3)", () => {
  const table: { moves: TMove[]; state: string }[] = [
    { moves: [prep(SHA1), prep(SHA2)], state: "IN_REVIEW" },
    { moves: [prep(SHA2), g("review-1", "ada")], state: "IN_REVIEW" },
    { moves: [prep(SHA2), g("review-1", "ada"), g("test", "tara")], state: "IN_REVIEW" },
    {
      moves: [
        prep(SHA2),
        g("review-1", "ada"),
        g("test", "tara"),
        g("test", "tess", SHA2, { verdict: "fail" }),
      ],
      state: "BLOCKED",
    },
    {
      moves: [
        prep(SHA2),
        g("review-1", "ada"),
        g("test", "tara"),
        g("test", "tess"),
        g("review-2", "bert"),
      ],
      state: "REQUESTED",
    },
    // Gates of the first diff do not count for the second.
    {
      moves: [prep(SHA1), g("review-1", "ada", SHA1), g("test", "tara", SHA1), prep(SHA2)],
      state: "IN_REVIEW",
    },
    { moves: [], state: "DRAFT" },
  ];
  for (const [i, row] of table.entries()) {
    it(`row ${i + 1}: ${row.state.toLowerCase()}`, () => {
      expect(stateAfter(row.moves)).toBe(row.state);
    });
  }

  it("the 2nd review is the request, and names who asked for the deployment", () => {
    const facts = fastPathSignoffs([prep(SHA2), g("review-2", "bert")], revisions);
    expect(facts).toContainEqual({
      kind: "REQUEST",
      verdict: "REQUEST",
      signerId: "bert",
      revision: 2,
    });
    expect(facts).toContainEqual({
      kind: "SUBMIT",
      verdict: "SUBMIT",
      signerId: "dev",
      revision: 2,
    });
  });

  it("moves naming an unknown diff count for nothing", () => {
    expect(fastPathSignoffs([g("review-1", "ada", "f".repeat(64))], revisions)).toEqual([]);
  });

  it("refuses an ordinary sign-off on a fast-path patch, naming the emergency", () => {
    const facts = buildPatchFacts({
      authorId: "dev",
      revision: 2,
      revisions,
      policy: { reviewsRequired: 2, testsRequired: 2 },
      signoffs: fastPathSignoffs([prep(SHA2)], revisions),
      deployment: null,
      withdrawn: false,
      fastPath: { emergencyNumber: 7 },
    });
    expect(
      signoffDecision(facts, { id: "ada", roles: ["ASSESSOR"] }, "REVIEW", "APPROVE"),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
      message: expect.stringContaining("emergency #7"),
    });
  });
});
