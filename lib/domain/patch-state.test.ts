import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { AppError } from "../errors";
import type { TRole } from "./roles";
import { can } from "./permissions";
import {
  assertMaySignoff,
  derivePatchState,
  type TPatchFacts,
  type TPatchState,
  type TSignoffFact,
  type TSignoffKind,
  type TVerdict,
} from "./patch-state";

// The gate rules of P1, P3 and P5 as a table: each row is a set of facts and
// what the rules must say about them.

const AUTHOR = "author";
const UPLOADER = "uploader";

function so(kind: TSignoffKind, verdict: TVerdict, signerId: string, revision = 1): TSignoffFact {
  return { kind, verdict, signerId, revision };
}

const submitted = so("SUBMIT", "SUBMIT", AUTHOR);
const approve = (who: string, rev = 1) => so("REVIEW", "APPROVE", who, rev);
const reject = (who: string, rev = 1) => so("REVIEW", "REJECT", who, rev);
const pass = (who: string, rev = 1) => so("TEST", "PASS", who, rev);
const fail = (who: string, rev = 1) => so("TEST", "FAIL", who, rev);
const request = (who: string, rev = 1) => so("REQUEST", "REQUEST", who, rev);

function facts(signoffs: TSignoffFact[], over: Partial<TPatchFacts> = {}): TPatchFacts {
  return {
    authorId: AUTHOR,
    revision: 1,
    revisionUploaderId: AUTHOR,
    policy: { reviewsRequired: 2, testsRequired: 2 },
    signoffs,
    deployment: null,
    ...over,
  };
}

const ready = [submitted, approve("a1"), approve("a2"), pass("t1"), pass("t2")];
/** Revision 2, uploaded by someone other than the author, already submitted. */
const rev2 = (signoffs: TSignoffFact[]) =>
  facts([...ready, so("SUBMIT", "SUBMIT", UPLOADER, 2), ...signoffs], {
    revision: 2,
    revisionUploaderId: UPLOADER,
  });
/** Revision 3 by the author again, after UPLOADER wrote revision 2: UPLOADER wrote part of the code. */
const rev3 = (signoffs: TSignoffFact[]) =>
  facts(
    [...ready, so("SUBMIT", "SUBMIT", UPLOADER, 2), so("SUBMIT", "SUBMIT", AUTHOR, 3), ...signoffs],
    {
      revision: 3,
      revisionUploaderId: AUTHOR,
      uploaderIds: [AUTHOR, UPLOADER, AUTHOR],
    },
  );

type TStateRow = {
  name: string;
  facts: TPatchFacts;
  state: TPatchState;
  reviews?: number;
  tests?: number;
};

const STATE_TABLE: TStateRow[] = [
  { name: "a revision nobody submitted is a draft", facts: facts([]), state: "DRAFT" },
  {
    name: "approvals before the submission leave it a draft",
    facts: facts([approve("a1"), approve("a2")]),
    state: "DRAFT",
    reviews: 2,
  },
  {
    name: "a submitted revision waits for reviews",
    facts: facts([submitted]),
    state: "IN_REVIEW",
    reviews: 0,
    tests: 0,
  },
  {
    name: "one approval of two is not enough",
    facts: facts([submitted, approve("a1")]),
    state: "IN_REVIEW",
    reviews: 1,
  },
  {
    name: "two approvals meet the review gate",
    facts: facts([submitted, approve("a1"), approve("a2")]),
    state: "IN_TEST",
    reviews: 2,
  },
  {
    name: "the author's approval never counts, even if a row exists",
    facts: facts([submitted, approve(AUTHOR), approve("a1")]),
    state: "IN_REVIEW",
    reviews: 1,
  },
  {
    name: "the revision uploader's approval never counts",
    facts: facts([so("SUBMIT", "SUBMIT", UPLOADER), approve(UPLOADER), approve("a1")], {
      revisionUploaderId: UPLOADER,
    }),
    state: "IN_REVIEW",
    reviews: 1,
  },
  {
    name: "an earlier revision's uploader's approval never counts",
    facts: rev3([approve(UPLOADER, 3), approve("a1", 3)]),
    state: "IN_REVIEW",
    reviews: 1,
  },
  {
    name: "an earlier revision's uploader's pass never counts",
    facts: rev3([approve("a1", 3), approve("a2", 3), pass(UPLOADER, 3), pass("t1", 3)]),
    state: "IN_TEST",
    tests: 1,
  },
  {
    name: "the author's pass never counts",
    facts: facts([submitted, approve("a1"), approve("a2"), pass(AUTHOR), pass("t1")]),
    state: "IN_TEST",
    tests: 1,
  },
  {
    name: "one person approving twice counts once",
    facts: facts([submitted, approve("a1"), approve("a1")]),
    state: "IN_REVIEW",
    reviews: 1,
  },
  {
    name: "two passes meet the test gate: ready",
    facts: facts(ready),
    state: "READY",
    reviews: 2,
    tests: 2,
  },
  {
    name: "passes count while the review gate is still open",
    facts: facts([submitted, approve("a1"), pass("t1"), pass("t2")]),
    state: "IN_REVIEW",
    tests: 2,
  },
  {
    name: "a reject blocks even with both gates met",
    facts: facts([...ready, reject("a3")]),
    state: "BLOCKED",
    reviews: 2,
    tests: 2,
  },
  {
    name: "a fail blocks even with both gates met",
    facts: facts([...ready, fail("t3")]),
    state: "BLOCKED",
  },
  {
    name: "a new revision starts as a draft",
    facts: facts(ready, { revision: 2, revisionUploaderId: UPLOADER }),
    state: "DRAFT",
    reviews: 0,
    tests: 0,
  },
  {
    name: "sign-offs of a superseded revision do not count",
    facts: rev2([]),
    state: "IN_REVIEW",
    reviews: 0,
    tests: 0,
  },
  {
    name: "a reject of an older revision no longer blocks",
    facts: rev2([reject("a3", 1), approve("a1", 2)]),
    state: "IN_REVIEW",
    reviews: 1,
  },
  {
    name: "a fail of an older revision no longer blocks",
    facts: facts(
      [
        ...ready,
        fail("t3"),
        so("SUBMIT", "SUBMIT", AUTHOR, 2),
        ...ready.slice(1).map((s) => ({ ...s, revision: 2 })),
      ],
      { revision: 2 },
    ),
    state: "READY",
  },
  {
    name: "a policy of three reviews needs a third",
    facts: facts([submitted, approve("a1"), approve("a2"), pass("t1")], {
      policy: { reviewsRequired: 3, testsRequired: 1 },
    }),
    state: "IN_REVIEW",
    reviews: 2,
  },
  {
    name: "a policy of three reviews and one test is met by three and one",
    facts: facts([submitted, approve("a1"), approve("a2"), approve("a3"), pass("t1")], {
      policy: { reviewsRequired: 3, testsRequired: 1 },
    }),
    state: "READY",
    reviews: 3,
    tests: 1,
  },
  {
    name: "the signed request makes it requested",
    facts: facts([...ready, request("a3")]),
    state: "REQUESTED",
  },
  {
    name: "a request of an older revision does not carry over",
    facts: rev2([request("a3", 1)]),
    state: "IN_REVIEW",
  },
  {
    name: "an open deployment is deploying",
    facts: facts([...ready, request("a3")], { deployment: { state: "OPEN", installed: false } }),
    state: "DEPLOYING",
  },
  {
    name: "a failed deployment sends the patch to rework",
    facts: facts([...ready, request("a3")], { deployment: { state: "FAILED", installed: false } }),
    state: "REWORK",
  },
  {
    name: "installed means deployed",
    facts: facts([...ready, request("a3")], { deployment: { state: "OPEN", installed: true } }),
    state: "DEPLOYED",
  },
  {
    name: "withdrawn wins over everything",
    facts: facts([...ready, request("a3")], {
      withdrawn: true,
      deployment: { state: "OPEN", installed: false },
    }),
    state: "WITHDRAWN",
  },
];

describe("derivePatchState", () => {
  it.each(STATE_TABLE)("$name", (row) => {
    const status = derivePatchState(row.facts);
    expect(status.state).toBe(row.state);
    if (row.reviews !== undefined) expect(status.gates.reviews.have).toBe(row.reviews);
    if (row.tests !== undefined) expect(status.gates.tests.have).toBe(row.tests);
    for (const g of [status.gates.reviews, status.gates.tests]) {
      expect(g.signers).not.toContain(row.facts.authorId);
      expect(g.signers).not.toContain(row.facts.revisionUploaderId);
      for (const u of row.facts.uploaderIds ?? []) expect(g.signers).not.toContain(u);
      expect(g.met).toBe(g.have >= g.need);
    }
  });

  it("lists the blocking sign-offs of the current revision only", () => {
    expect(derivePatchState(facts([...ready, reject("a3")])).blockers).toEqual([reject("a3")]);
    expect(derivePatchState(rev2([reject("a3", 1)])).blockers).toEqual([]);
  });
});

const ASSESSOR: TRole[] = ["ASSESSOR"];
const TESTER: TRole[] = ["TESTER"];
const BOTH: TRole[] = ["ASSESSOR", "TESTER"];
const person = (id: string, roles: TRole[]) => ({ id, roles });

type TMayRow = {
  name: string;
  facts: TPatchFacts;
  actor: { id: string; roles: TRole[] };
  kind: TSignoffKind;
  verdict: TVerdict;
  expect: "ok" | "FORBIDDEN" | "CONFLICT" | "VALIDATION";
};

const MAY_TABLE: TMayRow[] = [
  {
    name: "an assessor reviews a submitted patch",
    facts: facts([submitted]),
    actor: person("a1", ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "ok",
  },
  {
    name: "an assessor may reject",
    facts: facts([submitted]),
    actor: person("a1", ASSESSOR),
    kind: "REVIEW",
    verdict: "REJECT",
    expect: "ok",
  },
  {
    name: "the author never reviews, even as an assessor",
    facts: facts([submitted]),
    actor: person(AUTHOR, ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "FORBIDDEN",
  },
  {
    name: "the author never tests, even as a tester",
    facts: facts([submitted]),
    actor: person(AUTHOR, BOTH),
    kind: "TEST",
    verdict: "PASS",
    expect: "FORBIDDEN",
  },
  {
    name: "the uploader of the revision never reviews it",
    facts: facts([so("SUBMIT", "SUBMIT", UPLOADER)], { revisionUploaderId: UPLOADER }),
    actor: person(UPLOADER, ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "FORBIDDEN",
  },
  {
    name: "the uploader of an earlier revision never reviews a later one",
    facts: rev3([]),
    actor: person(UPLOADER, ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "FORBIDDEN",
  },
  {
    name: "the uploader of an earlier revision never tests a later one",
    facts: rev3([]),
    actor: person(UPLOADER, BOTH),
    kind: "TEST",
    verdict: "PASS",
    expect: "FORBIDDEN",
  },
  {
    name: "the uploader of an earlier revision never signs the request",
    facts: rev3([approve("a1", 3), approve("a2", 3), pass("t1", 3), pass("t2", 3)]),
    actor: person(UPLOADER, ASSESSOR),
    kind: "REQUEST",
    verdict: "REQUEST",
    expect: "FORBIDDEN",
  },
  {
    name: "the author never signs the request",
    facts: facts(ready),
    actor: person(AUTHOR, ASSESSOR),
    kind: "REQUEST",
    verdict: "REQUEST",
    expect: "FORBIDDEN",
  },
  {
    name: "a tester cannot review",
    facts: facts([submitted]),
    actor: person("t1", TESTER),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "FORBIDDEN",
  },
  {
    name: "an assessor cannot test",
    facts: facts([submitted]),
    actor: person("a1", ASSESSOR),
    kind: "TEST",
    verdict: "PASS",
    expect: "FORBIDDEN",
  },
  {
    name: "a developer cannot review",
    facts: facts([submitted]),
    actor: person("d1", ["DEVELOPER"]),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "FORBIDDEN",
  },
  {
    name: "a critical admin cannot review",
    facts: facts([submitted]),
    actor: person("c1", ["CRITICAL_ADMIN"]),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "FORBIDDEN",
  },
  {
    name: "nobody reviews a draft",
    facts: facts([]),
    actor: person("a1", ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "FORBIDDEN",
  },
  {
    name: "a second review by the same person is a conflict",
    facts: facts([submitted, approve("a1")]),
    actor: person("a1", ASSESSOR),
    kind: "REVIEW",
    verdict: "REJECT",
    expect: "CONFLICT",
  },
  {
    name: "an assessor+tester who reviewed cannot also test",
    facts: facts([submitted, approve("x")]),
    actor: person("x", BOTH),
    kind: "TEST",
    verdict: "PASS",
    expect: "CONFLICT",
  },
  {
    name: "an assessor+tester who tested cannot also review",
    facts: facts([submitted, pass("x")]),
    actor: person("x", BOTH),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "CONFLICT",
  },
  {
    name: "an assessor+tester may vote in one gate",
    facts: facts([submitted]),
    actor: person("x", BOTH),
    kind: "TEST",
    verdict: "PASS",
    expect: "ok",
  },
  {
    name: "a vote on an older revision does not stop a vote on the new one",
    facts: rev2([]),
    actor: person("a1", ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "ok",
  },
  {
    name: "a third review is allowed under a policy of three",
    facts: facts([submitted, approve("a1"), approve("a2")], {
      policy: { reviewsRequired: 3, testsRequired: 1 },
    }),
    actor: person("a3", ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "ok",
  },
  {
    name: "votes are still taken on a blocked revision",
    facts: facts([submitted, reject("a1")]),
    actor: person("a2", ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "ok",
  },
  {
    name: "no review once the request is signed",
    facts: facts([...ready, request("a3")]),
    actor: person("a4", ASSESSOR),
    kind: "REVIEW",
    verdict: "APPROVE",
    expect: "FORBIDDEN",
  },
  {
    name: "no test while deploying",
    facts: facts([...ready, request("a3")], { deployment: { state: "OPEN", installed: false } }),
    actor: person("t3", TESTER),
    kind: "TEST",
    verdict: "FAIL",
    expect: "FORBIDDEN",
  },
  {
    name: "no test of a withdrawn patch",
    facts: facts([submitted], { withdrawn: true }),
    actor: person("t1", TESTER),
    kind: "TEST",
    verdict: "PASS",
    expect: "FORBIDDEN",
  },
  {
    name: "the request needs both gates: not while in test",
    facts: facts([submitted, approve("a1"), approve("a2")]),
    actor: person("a3", ASSESSOR),
    kind: "REQUEST",
    verdict: "REQUEST",
    expect: "FORBIDDEN",
  },
  {
    name: "the request is refused while blocked",
    facts: facts([...ready, fail("t3")]),
    actor: person("a3", ASSESSOR),
    kind: "REQUEST",
    verdict: "REQUEST",
    expect: "FORBIDDEN",
  },
  {
    name: "an assessor who is not the author signs the request when ready",
    facts: facts(ready),
    actor: person("a3", ASSESSOR),
    kind: "REQUEST",
    verdict: "REQUEST",
    expect: "ok",
  },
  {
    name: "a reviewer may also sign the request",
    facts: facts(ready),
    actor: person("a1", ASSESSOR),
    kind: "REQUEST",
    verdict: "REQUEST",
    expect: "ok",
  },
  {
    name: "a tester cannot sign the request",
    facts: facts(ready),
    actor: person("t3", TESTER),
    kind: "REQUEST",
    verdict: "REQUEST",
    expect: "FORBIDDEN",
  },
  {
    name: "a second request is a conflict",
    facts: facts([...ready, request("a3")]),
    actor: person("a4", ASSESSOR),
    kind: "REQUEST",
    verdict: "REQUEST",
    expect: "CONFLICT",
  },
  {
    name: "the uploader submits",
    facts: facts([]),
    actor: person(AUTHOR, ["DEVELOPER"]),
    kind: "SUBMIT",
    verdict: "SUBMIT",
    expect: "ok",
  },
  {
    name: "only the uploader submits a revision",
    facts: facts([], { revisionUploaderId: UPLOADER }),
    actor: person(AUTHOR, ["DEVELOPER"]),
    kind: "SUBMIT",
    verdict: "SUBMIT",
    expect: "FORBIDDEN",
  },
  {
    name: "submitting needs patch:submit",
    facts: facts([]),
    actor: person(AUTHOR, TESTER),
    kind: "SUBMIT",
    verdict: "SUBMIT",
    expect: "FORBIDDEN",
  },
  {
    name: "a revision is submitted once",
    facts: facts([submitted]),
    actor: person(AUTHOR, ["DEVELOPER"]),
    kind: "SUBMIT",
    verdict: "SUBMIT",
    expect: "CONFLICT",
  },
  {
    name: "a review cannot carry a test verdict",
    facts: facts([submitted]),
    actor: person("a1", ASSESSOR),
    kind: "REVIEW",
    verdict: "PASS",
    expect: "VALIDATION",
  },
  {
    name: "a test cannot carry a review verdict",
    facts: facts([submitted]),
    actor: person("t1", TESTER),
    kind: "TEST",
    verdict: "APPROVE",
    expect: "VALIDATION",
  },
  {
    name: "a submission cannot carry an approval",
    facts: facts([]),
    actor: person(AUTHOR, ["DEVELOPER"]),
    kind: "SUBMIT",
    verdict: "APPROVE",
    expect: "VALIDATION",
  },
];

describe("assertMaySignoff", () => {
  it.each(MAY_TABLE)("$name", (row) => {
    const run = () => assertMaySignoff(row.facts, row.actor, row.kind, row.verdict);
    if (row.expect === "ok") {
      expect(run).not.toThrow();
    } else {
      expect(run).toThrow(AppError);
      expect(run).toThrow(expect.objectContaining({ code: row.expect }));
    }
  });

  it("holds at least 25 scenarios between the two tables", () => {
    expect(STATE_TABLE.length + MAY_TABLE.length).toBeGreaterThanOrEqual(25);
  });
});

// ── Property: random people make random sign-off attempts; whatever the rules let
// through is appended. The counted gates must always match the rules' intent.

const ROLE_POOL: TRole[] = ["ASSESSOR", "TESTER", "DEVELOPER", "CRITICAL_ADMIN"];
const ATTEMPTS: [TSignoffKind, TVerdict][] = [
  ["SUBMIT", "SUBMIT"],
  ["REVIEW", "APPROVE"],
  ["REVIEW", "APPROVE"],
  ["REVIEW", "REJECT"],
  ["TEST", "PASS"],
  ["TEST", "PASS"],
  ["TEST", "FAIL"],
  ["REQUEST", "REQUEST"],
  ["REVIEW", "PASS"],
];

const arbPeople = fc.array(fc.subarray(ROLE_POOL), { minLength: 3, maxLength: 8 });
const arbStep = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      type: fc.constant("attempt" as const),
      who: fc.nat(),
      what: fc.nat({ max: ATTEMPTS.length - 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("revision" as const), who: fc.nat() }) },
);

describe("gate counting under random sign-off sequences", () => {
  it("counts distinct non-author assessors, never one person in both gates, and requests only after both gates", () => {
    fc.assert(
      fc.property(
        arbPeople,
        fc.array(arbStep, { maxLength: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (roleSets, steps, reviewsRequired, testsRequired) => {
          const people = roleSets.map((roles, i) => ({ id: `p${i}`, roles }));
          const f: TPatchFacts = {
            authorId: "p0",
            revision: 1,
            revisionUploaderId: "p0",
            uploaderIds: ["p0"],
            policy: { reviewsRequired, testsRequired },
            signoffs: [],
            deployment: null,
          };
          for (const step of steps) {
            const actor = people[step.who % people.length];
            if (step.type === "revision") {
              f.revision += 1;
              f.revisionUploaderId = actor.id;
              f.uploaderIds = [...(f.uploaderIds ?? []), actor.id];
              continue;
            }
            const [kind, verdict] = ATTEMPTS[step.what];
            const before = derivePatchState(f);
            let allowed = true;
            try {
              assertMaySignoff(f, actor, kind, verdict);
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
              allowed = false;
            }
            if (allowed) {
              if (kind === "REQUEST") {
                expect(before.state).toBe("READY");
                expect(before.gates.reviews.met && before.gates.tests.met).toBe(true);
              }
              f.signoffs.push({ kind, verdict, signerId: actor.id, revision: f.revision });
            }

            const after = derivePatchState(f);
            const excluded = new Set([f.authorId, f.revisionUploaderId, ...(f.uploaderIds ?? [])]);
            const current = f.signoffs.filter((s) => s.revision === f.revision);
            const approvers = new Set(
              current
                .filter(
                  (s) =>
                    s.kind === "REVIEW" && s.verdict === "APPROVE" && !excluded.has(s.signerId),
                )
                .filter((s) => can(people.find((p) => p.id === s.signerId)!.roles, "patch:review"))
                .map((s) => s.signerId),
            );
            expect(after.gates.reviews.have).toBe(approvers.size);
            expect(after.gates.reviews.signers).not.toContain(f.authorId);
            expect(after.gates.tests.signers).not.toContain(f.authorId);
            expect(after.gates.reviews.signers).not.toContain(f.revisionUploaderId);
            expect(after.gates.tests.signers).not.toContain(f.revisionUploaderId);
            for (const p of people) {
              const gatesVoted = new Set(
                current
                  .filter((s) => s.signerId === p.id && (s.kind === "REVIEW" || s.kind === "TEST"))
                  .map((s) => s.kind),
              );
              const votes = current.filter(
                (s) => s.signerId === p.id && (s.kind === "REVIEW" || s.kind === "TEST"),
              ).length;
              expect(gatesVoted.size).toBeLessThanOrEqual(1);
              expect(votes).toBeLessThanOrEqual(1);
            }
            if (after.state === "REQUESTED") {
              expect(after.gates.reviews.met && after.gates.tests.met).toBe(true);
              expect(after.blockers).toEqual([]);
            }
            for (const u of f.uploaderIds ?? [])
              expect([...after.gates.reviews.signers, ...after.gates.tests.signers]).not.toContain(
                u,
              );
            // The author and the uploaders never appear in any allowed non-submit sign-off.
            expect(current.filter((s) => s.kind !== "SUBMIT" && excluded.has(s.signerId))).toEqual(
              [],
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
