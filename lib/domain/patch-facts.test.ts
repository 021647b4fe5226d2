import { describe, expect, it } from "vitest";
import { buildPatchFacts, type TPatchFactsSource } from "./patch-facts";
import { authorsOf, derivePatchState, type TSignoffFact, type TPatchState } from "./patch-state";
import { applicability, STEPS, type THandStep, type TProcedure } from "./procedures";

// buildPatchFacts() is what the portal, the queue and the offline verifier
// all read a patch through: each row is a patch's records and what the facts,
// and the rules on them, must say.

const AUTHOR = "author";
const OTHER = "other";

const so = (
  kind: TSignoffFact["kind"],
  verdict: TSignoffFact["verdict"],
  signerId: string,
  revision = 1,
): TSignoffFact => ({ kind, verdict, signerId, revision });

/** The 13 steps of a fresh deployment, the hand steps listed as done. */
function steps(procedure: TProcedure, ...done: number[]): THandStep[] {
  return STEPS.map((s) => {
    const applicable = applicability(procedure, s.number) !== "NEVER";
    return {
      number: s.number,
      applicable,
      status: !applicable ? "NOT_APPLICABLE" : done.includes(s.number) ? "DONE" : "PENDING",
    };
  });
}
const ALL_HAND_STEPS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

function source(over: Partial<TPatchFactsSource> = {}): TPatchFactsSource {
  return {
    authorId: AUTHOR,
    revision: 1,
    revisions: [{ number: 1, uploadedById: AUTHOR }],
    policy: { reviewsRequired: 2, testsRequired: 2 },
    signoffs: [so("SUBMIT", "SUBMIT", AUTHOR)],
    deployment: null,
    withdrawn: false,
    ...over,
  };
}

/** Revision 3 is current; OTHER uploaded revision 2, the author 1 and 3. */
const revised = (signoffs: TSignoffFact[]) =>
  source({
    revision: 3,
    revisions: [
      { number: 1, uploadedById: AUTHOR },
      { number: 2, uploadedById: OTHER },
      { number: 3, uploadedById: AUTHOR },
    ],
    signoffs: [so("SUBMIT", "SUBMIT", AUTHOR, 3), ...signoffs],
  });

type TRow = {
  name: string;
  source: TPatchFactsSource;
  uploader?: string;
  excluded?: string[];
  counted?: string[];
  installed?: boolean | null;
  state?: TPatchState;
};

const ROWS: TRow[] = [
  {
    name: "a first revision: the author uploaded it and is the one who never counts",
    source: source(),
    uploader: AUTHOR,
    excluded: [AUTHOR],
    installed: null,
    state: "IN_REVIEW",
  },
  {
    // The case that drifted: the queue and the verifier forgot the earlier uploaders.
    name: "whoever uploaded an earlier revision never counts on a later one",
    source: revised([so("REVIEW", "APPROVE", OTHER, 3), so("REVIEW", "APPROVE", "a1", 3)]),
    uploader: AUTHOR,
    excluded: [AUTHOR, OTHER],
    counted: ["a1"],
    state: "IN_REVIEW",
  },
  {
    name: "the uploader of the current revision never counts, though not the author",
    source: source({
      revision: 2,
      revisions: [
        { number: 1, uploadedById: AUTHOR },
        { number: 2, uploadedById: OTHER },
      ],
      signoffs: [so("SUBMIT", "SUBMIT", OTHER, 2), so("TEST", "PASS", OTHER, 2)],
    }),
    uploader: OTHER,
    excluded: [AUTHOR, OTHER],
    counted: [],
  },
  {
    name: "a revision numbered after the current one is not read",
    source: source({
      revisions: [
        { number: 1, uploadedById: AUTHOR },
        { number: 2, uploadedById: OTHER },
      ],
      signoffs: [so("SUBMIT", "SUBMIT", AUTHOR), so("REVIEW", "APPROVE", OTHER)],
    }),
    uploader: AUTHOR,
    excluded: [AUTHOR],
    counted: [OTHER],
  },
  {
    name: "without a row for the current revision, the author stands as its uploader",
    source: source({ revisions: [] }),
    uploader: AUTHOR,
    excluded: [AUTHOR],
  },
  {
    name: "sign-offs of earlier revisions are kept, and count for nothing now",
    source: revised([so("REVIEW", "APPROVE", "a1", 1), so("REVIEW", "APPROVE", "a2", 1)]),
    counted: [],
    state: "IN_REVIEW",
  },
  {
    name: "an open deployment with hand steps left is not installed",
    source: source({ deployment: { state: "OPEN", steps: steps("WEBDB", 1, 2, 3) } }),
    installed: false,
    state: "DEPLOYING",
  },
  {
    name: "every applicable hand step done: installed, whatever the worker steps",
    source: source({ deployment: { state: "OPEN", steps: steps("WEBDB", ...ALL_HAND_STEPS) } }),
    installed: true,
    state: "DEPLOYED",
  },
  {
    name: "on the signing server, steps that do not apply are not waited for",
    source: source({
      deployment: { state: "OPEN", steps: steps("SIGNING_SERVER", 1, 2, 3, 4, 5, 6, 7) },
    }),
    installed: true,
    state: "DEPLOYED",
  },
  {
    name: "a failed deployment sends the patch back to rework",
    source: source({ deployment: { state: "FAILED", steps: steps("WEBDB", 1, 2) } }),
    installed: false,
    state: "REWORK",
  },
  {
    name: "withdrawn is carried over and wins",
    source: source({ withdrawn: true }),
    state: "WITHDRAWN",
  },
];

describe("buildPatchFacts", () => {
  it.each(ROWS)("$name", (row) => {
    const facts = buildPatchFacts(row.source);
    const { state, gates } = derivePatchState(facts);
    if (row.uploader !== undefined) expect(facts.revisionUploaderId).toBe(row.uploader);
    if (row.excluded) expect([...authorsOf(facts)].sort()).toEqual([...row.excluded].sort());
    if (row.counted)
      expect([...gates.reviews.signers, ...gates.tests.signers]).toEqual(row.counted);
    if (row.installed !== undefined)
      expect(facts.deployment && facts.deployment.installed).toBe(row.installed);
    if (row.state) expect(state).toBe(row.state);
  });

  it("copies the policy, the sign-offs and the revision number as given", () => {
    const src = revised([so("TEST", "FAIL", "t1", 3)]);
    const facts = buildPatchFacts(src);
    expect(facts).toMatchObject({
      authorId: AUTHOR,
      revision: 3,
      policy: { reviewsRequired: 2, testsRequired: 2 },
      signoffs: src.signoffs,
      withdrawn: false,
    });
    expect(derivePatchState(facts).state).toBe("BLOCKED");
  });

  it("reads only the fields the rules need from a database row or a dossier entry", () => {
    // Extra fields, as Prisma rows and the dossier's JSON carry them, are left behind.
    const policy = { reviewsRequired: 1, testsRequired: 0, procedure: "WEBDB" };
    const signoff = { ...so("SUBMIT", "SUBMIT", AUTHOR), id: "s1", comment: "x" };
    const facts = buildPatchFacts({ ...source(), policy, signoffs: [signoff] });
    expect(facts.policy).toEqual({ reviewsRequired: 1, testsRequired: 0 });
    expect(facts.signoffs).toEqual([so("SUBMIT", "SUBMIT", AUTHOR)]);
  });

  it("keeps the policy a revision was requested under; an unrequested revision takes today's", () => {
    const requested = {
      ...so("REQUEST", "REQUEST", "a1"),
      reviewsRequired: 2,
      testsRequired: 2,
    };
    const today = { reviewsRequired: 4, testsRequired: 3 };
    expect(buildPatchFacts({ ...source(), policy: today, signoffs: [requested] }).policy).toEqual({
      reviewsRequired: 2,
      testsRequired: 2,
    });
    // The request of an older revision does not carry over to the current one.
    expect(
      buildPatchFacts({
        ...source(),
        policy: today,
        signoffs: [{ ...requested, revision: 0 }],
      }).policy,
    ).toEqual(today);
    // A request stored before policies were recorded: today's.
    expect(
      buildPatchFacts({ ...source(), policy: today, signoffs: [so("REQUEST", "REQUEST", "a1")] })
        .policy,
    ).toEqual(today);
  });
});
