import { describe, expect, it } from "vitest";
import {
  applicability,
  assertMayTick,
  commitMessage,
  handStepsDone,
  isWorkerStep,
  restartStep,
  stepProgress,
  sha256sumLine,
  STEPS,
  visitQuorum,
  type TProcedure,
  type TStepFact,
  type TStepStatus,
  type TVisitFact,
} from "./procedures";

// The deployment procedures of the seed (P4–P6) as tables.

/** The 13 steps of a fresh record, as open-deployment creates them. */
function fresh(procedure: TProcedure, decide: Partial<Record<number, boolean>> = {}): TStepFact[] {
  return STEPS.map((s) => {
    const a = applicability(procedure, s.number);
    const decided = a !== "SITUATIONAL" || s.number in decide;
    return {
      number: s.number,
      applicability: a,
      applicable: a === "ALWAYS" || (a === "SITUATIONAL" && (decide[s.number] ?? true)),
      decided,
      status: "PENDING" as TStepStatus,
    };
  });
}

function done(steps: TStepFact[], ...numbers: number[]): TStepFact[] {
  return steps.map((s) => (numbers.includes(s.number) ? { ...s, status: "DONE" } : s));
}

const allDecided = { 3: true, 4: true, 5: true, 6: true, 7: true };

describe("the webdb procedure", () => {
  it("has the 13 steps of the seed in order, 10–13 done by the worker", () => {
    expect(STEPS.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(STEPS.map((s) => s.key)).toEqual([
      "check-request",
      "check-gates",
      "transfer",
      "risk",
      "apply",
      "commit",
      "tarball",
      "push-strings",
      "pull-translations",
      "notify",
      "bug-update",
      "reply",
      "mirror",
    ]);
    expect(STEPS.filter((s) => s.byWorker).map((s) => s.number)).toEqual([10, 11, 12, 13]);
    expect(STEPS.every((s) => applicability("WEBDB", s.number) === "ALWAYS")).toBe(true);
  });

  it("writes the seed's commit message and a sha256sum line", () => {
    expect(commitMessage("1234", "Domains vanish")).toBe('Fix for bug #1234\n"Domains vanish".');
    expect(sha256sumLine("ab".repeat(32), "/tmp/patch.diff")).toBe(
      `${"ab".repeat(32)}  /tmp/patch.diff`,
    );
  });
});

describe("signing-server applicability (P6)", () => {
  it.each([
    [1, "ALWAYS"],
    [2, "ALWAYS"],
    [3, "SITUATIONAL"],
    [4, "SITUATIONAL"],
    [5, "SITUATIONAL"],
    [6, "SITUATIONAL"],
    [7, "SITUATIONAL"],
    [8, "NEVER"],
    [9, "NEVER"],
    [10, "ALWAYS"],
    [11, "ALWAYS"],
    [12, "ALWAYS"],
    [13, "NEVER"],
  ] as const)("step %i is %s", (n, expected) => {
    expect(applicability("SIGNING_SERVER", n)).toBe(expected);
  });
});

const CA = (userId: string): TVisitFact => ({ userId, role: "CRITICAL_ADMIN" });
const AE = (userId: string): TVisitFact => ({ userId, role: "ACCESS_ENGINEER" });

describe("visitQuorum", () => {
  it.each<[string, TVisitFact[], boolean, number, number]>([
    ["nobody", [], false, 0, 0],
    ["two admins and an engineer", [CA("c1"), CA("c2"), AE("e1")], true, 2, 1],
    ["two admins, no engineer", [CA("c1"), CA("c2")], false, 2, 0],
    ["one admin and two engineers", [CA("c1"), AE("e1"), AE("e2")], false, 1, 2],
    ["the same admin twice counts once", [CA("c1"), CA("c1"), AE("e1")], false, 1, 1],
    [
      "one person with both roles does not count twice",
      [CA("c1"), CA("c2"), AE("c2")],
      false,
      2,
      0,
    ],
    [
      "a person with both roles counts as admin, another engineer completes it",
      [CA("c1"), AE("c1"), CA("c2"), AE("e1")],
      true,
      2,
      1,
    ],
    [
      "the engineer signing first does not change the count",
      [AE("c2"), CA("c1"), CA("c2")],
      false,
      2,
      0,
    ],
    [
      "three admins and two engineers",
      [CA("c1"), CA("c2"), CA("c3"), AE("e1"), AE("e2")],
      true,
      3,
      2,
    ],
  ])("%s", (_name, presence, met, admins, engineers) => {
    expect(visitQuorum(presence)).toEqual({
      criticalAdmins: admins,
      accessEngineers: engineers,
      met,
    });
  });
});

type TTickRow = {
  name: string;
  procedure: TProcedure;
  record?: "OPEN" | "COMPLETED" | "FAILED";
  steps: TStepFact[];
  number: number;
  visit?: boolean;
  expect: "ok" | "FORBIDDEN" | "CONFLICT" | "NOT_FOUND";
  match?: RegExp;
};

const webdb = fresh("WEBDB");
const signer = fresh("SIGNING_SERVER", { 3: false, 4: false, 5: true, 6: false, 7: false });

const TICK_TABLE: TTickRow[] = [
  { name: "webdb: step 1 first", procedure: "WEBDB", steps: webdb, number: 1, expect: "ok" },
  {
    name: "webdb: step 2 before step 1 is refused",
    procedure: "WEBDB",
    steps: webdb,
    number: 2,
    expect: "FORBIDDEN",
    match: /Step 1 comes first/,
  },
  {
    name: "webdb: step 5 after 1–4",
    procedure: "WEBDB",
    steps: done(webdb, 1, 2, 3, 4),
    number: 5,
    expect: "ok",
  },
  {
    name: "webdb: a gap is refused",
    procedure: "WEBDB",
    steps: done(webdb, 1, 2, 4),
    number: 5,
    expect: "FORBIDDEN",
    match: /Step 3 comes first/,
  },
  {
    name: "webdb: a step is recorded once",
    procedure: "WEBDB",
    steps: done(webdb, 1),
    number: 1,
    expect: "CONFLICT",
  },
  {
    name: "webdb: nothing after a failure",
    procedure: "WEBDB",
    record: "FAILED",
    steps: done(webdb, 1, 2, 3, 4),
    number: 6,
    expect: "FORBIDDEN",
    match: /failed/,
  },
  {
    name: "webdb: the failed step itself cannot be re-ticked",
    procedure: "WEBDB",
    record: "FAILED",
    steps: done(webdb, 1, 2, 3, 4),
    number: 5,
    expect: "FORBIDDEN",
  },
  {
    name: "webdb: nothing on a completed record",
    procedure: "WEBDB",
    record: "COMPLETED",
    steps: done(webdb, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    number: 9,
    expect: "CONFLICT",
  },
  ...[10, 11, 12, 13].map<TTickRow>((n) => ({
    name: `webdb: worker step ${n} is not ticked by hand`,
    procedure: "WEBDB",
    steps: done(webdb, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    number: n,
    expect: "FORBIDDEN",
    match: /worker/,
  })),
  {
    name: "webdb: there is no step 14",
    procedure: "WEBDB",
    steps: webdb,
    number: 14,
    expect: "NOT_FOUND",
  },
  {
    name: "webdb: no visit needed",
    procedure: "WEBDB",
    steps: webdb,
    number: 1,
    visit: false,
    expect: "ok",
  },
  {
    name: "signer: nothing before the visit",
    procedure: "SIGNING_SERVER",
    steps: signer,
    number: 1,
    visit: false,
    expect: "FORBIDDEN",
    match: /visit/,
  },
  {
    name: "signer: step 1 after the visit",
    procedure: "SIGNING_SERVER",
    steps: signer,
    number: 1,
    visit: true,
    expect: "ok",
  },
  {
    name: "signer: undecided situational steps come first",
    procedure: "SIGNING_SERVER",
    steps: fresh("SIGNING_SERVER", { 3: false, 4: false }),
    number: 1,
    visit: true,
    expect: "FORBIDDEN",
    match: /Decide first whether steps 5, 6, 7/,
  },
  {
    name: "signer: a step decided not applicable is refused",
    procedure: "SIGNING_SERVER",
    steps: done(signer, 1, 2),
    number: 3,
    visit: true,
    expect: "FORBIDDEN",
    match: /does not apply/,
  },
  {
    name: "signer: step 8 never applies",
    procedure: "SIGNING_SERVER",
    steps: done(signer, 1, 2, 5),
    number: 8,
    visit: true,
    expect: "FORBIDDEN",
    match: /does not apply/,
  },
  {
    name: "signer: step 5 follows 1 and 2 when 3 and 4 do not apply",
    procedure: "SIGNING_SERVER",
    steps: done(signer, 1, 2),
    number: 5,
    visit: true,
    expect: "ok",
  },
  {
    name: "signer: order still holds",
    procedure: "SIGNING_SERVER",
    steps: done(signer, 1),
    number: 5,
    visit: true,
    expect: "FORBIDDEN",
    match: /Step 2 comes first/,
  },
  {
    name: "signer: worker steps stay with the worker",
    procedure: "SIGNING_SERVER",
    steps: done(signer, 1, 2, 5),
    number: 10,
    visit: true,
    expect: "FORBIDDEN",
    match: /worker/,
  },
];

describe("assertMayTick", () => {
  it.each(TICK_TABLE)("$name", (row) => {
    const run = () =>
      assertMayTick(row.procedure, row.record ?? "OPEN", row.steps, row.number, row.visit ?? false);
    if (row.expect === "ok") return expect(run).not.toThrow();
    expect(run).toThrow(expect.objectContaining({ code: row.expect }));
    if (row.match) expect(run).toThrow(row.match);
  });
});

describe("handStepsDone", () => {
  it("is false on a fresh webdb record and true once 1–9 are done, whatever the worker steps", () => {
    expect(handStepsDone(webdb)).toBe(false);
    expect(handStepsDone(done(webdb, 1, 2, 3, 4, 5, 6, 7, 8))).toBe(false);
    expect(handStepsDone(done(webdb, 1, 2, 3, 4, 5, 6, 7, 8, 9))).toBe(true);
  });

  it("ignores steps that do not apply on the signing server", () => {
    expect(handStepsDone(done(signer, 1, 2))).toBe(false);
    expect(handStepsDone(done(signer, 1, 2, 5))).toBe(true);
    // All of 3–7 decided away: 1 and 2 are the whole hand part.
    expect(
      handStepsDone(
        done(fresh("SIGNING_SERVER", { 3: false, 4: false, 5: false, 6: false, 7: false }), 1, 2),
      ),
    ).toBe(true);
  });

  it("does not count a failed step as done", () => {
    const failed = done(webdb, 1, 2, 3, 4, 6, 7, 8, 9).map((s) =>
      s.number === 5 ? { ...s, status: "FAILED" as const } : s,
    );
    expect(handStepsDone(failed)).toBe(false);
  });

  it("is never true for a record decided entirely in the signing server's favour without steps 1 and 2", () => {
    expect(handStepsDone(fresh("SIGNING_SERVER", allDecided))).toBe(false);
  });
});

describe("isWorkerStep", () => {
  it.each([
    [1, false],
    [9, false],
    [10, true],
    [13, true],
    [14, false],
  ])("step %i: %s", (n, worker) => {
    expect(isWorkerStep(n)).toBe(worker);
  });
});

describe("stepProgress and restartStep", () => {
  const s = (number: number, applicable: boolean, status: TStepFact["status"]) => ({
    number,
    applicable,
    status,
  });
  it.each([
    ["a fresh webdb record", STEPS.map((t) => s(t.number, true, "PENDING")), 0, 0, 13],
    [
      "a failed apply: done before it, the failure not done",
      STEPS.map((t) =>
        s(t.number, true, t.number < 5 ? "DONE" : t.number === 5 ? "FAILED" : "PENDING"),
      ),
      4,
      1,
      13,
    ],
    [
      "the signing server, 3 and 5 applying",
      STEPS.map((t) =>
        s(
          t.number,
          [1, 2, 3, 5, 10, 11, 12].includes(t.number),
          [1, 2].includes(t.number)
            ? "DONE"
            : [4, 6, 7, 8, 9, 13].includes(t.number)
              ? "NOT_APPLICABLE"
              : "PENDING",
        ),
      ),
      2,
      0,
      7,
    ],
  ] as const)("counts %s", (_, steps, done, failed, total) => {
    expect(stepProgress(steps)).toEqual({ done, failed, total });
  });

  it("confirms the service at the last applicable hand step", () => {
    expect(restartStep(STEPS.map((t) => ({ number: t.number, applicable: true })))).toBe(9);
    expect(
      restartStep(
        STEPS.map((t) => ({
          number: t.number,
          applicable: [1, 2, 3, 4, 5, 10].includes(t.number),
        })),
      ),
    ).toBe(5);
  });
});
