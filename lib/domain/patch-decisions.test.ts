import { describe, expect, it } from "vitest";
import type { TRole } from "./roles";
import {
  signoffDecision,
  type TPatchFacts,
  type TSignoffFact,
  type TSignoffKind,
  type TVerdict,
} from "./patch-state";
import {
  NO_OFFERS,
  patchOffers,
  revisionDecision,
  withdrawDecision,
  type TPatchOffers,
} from "./patch-decisions";

// One table per decision: the facts, who asks, and what the rule says. The
// patch page offers exactly what patchOffers() says, so the last table is the
// page's behaviour too (the late reject among it).

const AUTHOR = "author";
const so = (kind: TSignoffKind, verdict: TVerdict, signerId: string, revision = 1) =>
  ({ kind, verdict, signerId, revision }) satisfies TSignoffFact;
const submitted = so("SUBMIT", "SUBMIT", AUTHOR);
const approve = (who: string) => so("REVIEW", "APPROVE", who);
const reject = (who: string) => so("REVIEW", "REJECT", who);
const pass = (who: string) => so("TEST", "PASS", who);
const request = (who: string) => so("REQUEST", "REQUEST", who);

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

const who = (id: string, ...roles: TRole[]) => ({ id, roles });
const author = who(AUTHOR, "DEVELOPER");
const assessor = who("a3", "ASSESSOR");
const tester = who("t3", "TESTER");
const developer = who("d2", "DEVELOPER");
const criticalAdmin = who("ca", "CRITICAL_ADMIN");

const twoApprovals = [submitted, approve("a1"), approve("a2")];
const ready = [...twoApprovals, pass("t1"), pass("t2")];
const requested = [...ready, request("a1")];
const deploying = facts(requested, { deployment: { state: "OPEN", installed: false } });
const deployed = facts(requested, { deployment: { state: "COMPLETED", installed: true } });
const rework = facts(requested, { deployment: { state: "FAILED", installed: false } });
const withdrawn = facts(ready, { withdrawn: true });

describe("signoffDecision: the late reject and the late fail", () => {
  it.each<[string, TPatchFacts, { id: string; roles: TRole[] }, TSignoffKind, TVerdict, boolean]>([
    [
      "an assessor rejects after two approvals (IN_TEST)",
      facts(twoApprovals),
      assessor,
      "REVIEW",
      "REJECT",
      true,
    ],
    ["an assessor rejects a READY patch", facts(ready), assessor, "REVIEW", "REJECT", true],
    [
      "an assessor approves a READY patch (counted, harmless)",
      facts(ready),
      assessor,
      "REVIEW",
      "APPROVE",
      true,
    ],
    ["a tester fails a READY patch", facts(ready), tester, "TEST", "FAIL", true],
    ["a tester fails before the reviews are met", facts([submitted]), tester, "TEST", "FAIL", true],
    [
      "an assessor rejects a BLOCKED patch",
      facts([...twoApprovals, reject("a4")]),
      assessor,
      "REVIEW",
      "REJECT",
      true,
    ],
    [
      "an assessor who approved rejects too",
      facts(twoApprovals),
      who("a1", "ASSESSOR"),
      "REVIEW",
      "REJECT",
      false,
    ],
    [
      "an assessor rejects a REQUESTED patch",
      facts(requested),
      assessor,
      "REVIEW",
      "REJECT",
      false,
    ],
    ["an assessor rejects a DRAFT", facts([]), assessor, "REVIEW", "REJECT", false],
    ["a tester rejects as a reviewer", facts(twoApprovals), tester, "REVIEW", "REJECT", false],
    [
      "the author fails their own patch",
      facts(ready),
      who(AUTHOR, "TESTER"),
      "TEST",
      "FAIL",
      false,
    ],
    ["anyone votes on a withdrawn patch", withdrawn, assessor, "REVIEW", "REJECT", false],
  ])("%s → %s", (_name, f, actor, kind, verdict, ok) => {
    expect(signoffDecision(f, actor, kind, verdict).ok).toBe(ok);
  });

  it("says why, with the code the server answers with", () => {
    expect(signoffDecision(facts(requested), assessor, "REVIEW", "REJECT")).toEqual({
      ok: false,
      code: "FORBIDDEN",
      message: "The patch is requested: no review can be signed now.",
    });
    expect(
      signoffDecision(facts(twoApprovals), who("a1", "ASSESSOR"), "REVIEW", "REJECT"),
    ).toMatchObject({ ok: false, code: "CONFLICT" });
  });
});

describe("revisionDecision", () => {
  it.each<[string, TPatchFacts, { id: string; roles: TRole[] }, boolean]>([
    ["the author revises a patch in review", facts([submitted]), author, true],
    [
      "an assessor revises someone's blocked patch",
      facts([...twoApprovals, reject("a4")]),
      assessor,
      true,
    ],
    ["the author revises after a failed apply (REWORK)", rework, author, true],
    ["another developer revises", facts([submitted]), developer, false],
    ["a tester revises", facts([submitted]), tester, false],
    ["the author revises a requested patch", facts(requested), author, false],
    ["the author revises a deploying patch", deploying, author, false],
    ["the author revises a deployed patch", deployed, author, false],
    ["the author revises a withdrawn patch", withdrawn, author, false],
  ])("%s → %s", (_name, f, actor, ok) => {
    expect(revisionDecision(f, actor).ok).toBe(ok);
  });
});

describe("withdrawDecision", () => {
  it.each<[string, TPatchFacts, { id: string; roles: TRole[] }, boolean | "CONFLICT"]>([
    ["the author withdraws a draft", facts([]), author, true],
    ["the author withdraws a patch in review", facts([submitted]), author, true],
    ["an assessor withdraws someone's READY patch", facts(ready), assessor, true],
    ["an assessor withdraws a requested patch", facts(requested), assessor, true],
    ["the author withdraws after a failed apply", rework, author, true],
    ["another developer withdraws", facts([submitted]), developer, false],
    ["a tester withdraws", facts([submitted]), tester, false],
    ["a critical admin withdraws", facts(requested), criticalAdmin, false],
    ["an assessor withdraws a deploying patch", deploying, assessor, false],
    ["an assessor withdraws a deployed patch", deployed, assessor, false],
    ["the author withdraws twice", withdrawn, author, "CONFLICT"],
    [
      "the author withdraws option 1's patch",
      facts([], { fastPath: { emergencyNumber: 7 } }),
      author,
      false,
    ],
    [
      "an assessor withdraws option 1's patch",
      facts([], { fastPath: { emergencyNumber: 7 } }),
      assessor,
      false,
    ],
  ])("%s → %s", (_name, f, actor, expected) => {
    const d = withdrawDecision(f, actor);
    if (expected === "CONFLICT") expect(d).toMatchObject({ ok: false, code: "CONFLICT" });
    else expect(d.ok).toBe(expected);
  });

  it("names the deployed state in its refusal", () => {
    expect(withdrawDecision(deployed, assessor)).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/deployed patch cannot be withdrawn/),
    });
  });

  it("sends option 1's patch back to its emergency", () => {
    expect(withdrawDecision(facts([], { fastPath: { emergencyNumber: 7 } }), author)).toMatchObject(
      {
        code: "FORBIDDEN",
        message: expect.stringMatching(/emergency #7's fast path.*record option 1 unfit/),
      },
    );
  });
});

describe("patchOffers: what the patch page offers", () => {
  const none = NO_OFFERS;
  it.each<[string, TPatchFacts, { id: string; roles: TRole[] }, Partial<TPatchOffers>]>([
    ["the uploader of a draft", facts([]), author, { submit: true, revise: true, withdraw: true }],
    [
      "an assessor after two approvals: the late reject",
      facts(twoApprovals),
      assessor,
      { review: ["APPROVE", "REJECT"], revise: true, withdraw: true },
    ],
    ["a tester after two approvals", facts(twoApprovals), tester, { test: ["PASS", "FAIL"] }],
    ["a tester of a READY patch: the late fail", facts(ready), tester, { test: ["PASS", "FAIL"] }],
    [
      "an assessor who approved a READY patch",
      facts(ready),
      who("a1", "ASSESSOR"),
      { request: true, revise: true, withdraw: true },
    ],
    ["an assessor of a requested patch", facts(requested), assessor, { withdraw: true }],
    ["a critical admin of a requested patch", facts(requested), criticalAdmin, {}],
    ["the author of a deployed patch", deployed, author, {}],
    ["an assessor of a withdrawn patch", withdrawn, assessor, {}],
  ])("%s", (_name, f, actor, offers) => {
    expect(patchOffers(f, actor)).toEqual({ ...none, ...offers });
  });
});
