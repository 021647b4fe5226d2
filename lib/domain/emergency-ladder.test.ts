import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { TRole } from "./roles";
import {
  applyMove,
  checkMove,
  EMPTY_LADDER,
  emptyLadder,
  GATES,
  currentGates,
  preparedPatch,
  LadderRefusal,
  mayRule,
  MOVE_KINDS,
  nextSteps,
  replay,
  TEAMS,
  type TLadder,
  type TMove,
  type TNextStep,
} from "./emergency-ladder";

// The people of a small CAcert-like team, by id, with their roles.
const ROLES: Record<string, TRole[]> = {
  ada: ["ASSESSOR"],
  bert: ["ASSESSOR"],
  tara: ["TESTER"],
  tess: ["TESTER"],
  carl: ["CRITICAL_ADMIN"],
  cora: ["CRITICAL_ADMIN"],
  dev: ["DEVELOPER"],
  ari: ["ARBITRATOR"],
  both: ["ASSESSOR", "CRITICAL_ADMIN"],
  abe: ["ASSESSOR", "TESTER"],
};

const mv = (kind: TMove["kind"], actorId: string, extra: Partial<TMove> = {}): TMove => ({
  kind,
  actorId,
  reason: "because",
  ...extra,
});
const run = (moves: TMove[], start: TLadder = EMPTY_LADDER): TLadder =>
  moves.reduce((l, m) => applyMove(l, m, ROLES[m.actorId]), start);

const SHA = "a".repeat(64);
const SHA2 = "b".repeat(64);
// Option 1's patch, prepared by the developer; its gates name its diff.
const prep = mv("option1-patch", "dev", { sha256: SHA, reason: undefined });
const prep2 = mv("option1-patch", "dev", { sha256: SHA2, reason: undefined });

const unfit = mv("option1-unfit", "carl", { reason: "The 24 hours ran out." });
const o2patch = mv("option2-patch", "ada", { reason: "Tested locally on a copy." });
const o2deploy = mv("option2-deploy", "carl", { reason: "Applied at 03:10, documented." });
const o2failed = mv("option2-failed", "carl", { reason: "Still failing." });
const declCA = mv("option3-declaration", "carl", { as: "CRITICAL_ADMIN" });
const declA = mv("option3-declaration", "ada", { as: "ASSESSOR" });
const gate = (g: (typeof GATES)[number], who: string, extra: Partial<TMove> = {}) =>
  mv("gate", who, {
    gate: g,
    reason: undefined,
    sha256: SHA,
    ...(g === "deploy" ? { deploymentId: "dep-1" } : {}),
    ...extra,
  });

const PEOPLE = Object.keys(ROLES);
const viewer = (id: string) => ({ id, roles: ROLES[id] });
// Everyone may be offered as a grantee: who holds an eligible role is the server's business.
const stepsFor = (l: TLadder, id: string) => nextSteps(l, viewer(id), { grantees: PEOPLE });
const said = (s: TNextStep) => {
  const status = !s.allowed ? "not yet" : s.mine ? "mine" : "not mine";
  return `${[s.kind, s.gate, s.as].filter(Boolean).join("/")}: ${status}`;
};

// Every move a person could attempt, one particular at a time (the others left out).
const attempts = (actorId: string, l: TLadder): TMove[] =>
  MOVE_KINDS.flatMap((kind) => [
    { kind, actorId },
    ...GATES.map((gate) => ({ kind, actorId, gate })),
    ...(["CRITICAL_ADMIN", "ASSESSOR"] as const).map((as) => ({ kind, actorId, as })),
    ...TEAMS.map((team) => ({ kind, actorId, team })),
    ...PEOPLE.map((granteeId) => ({ kind, actorId, granteeId })),
  ]).map((m) => ({
    ...m,
    reason: "a reason",
    // A gate is signed for the prepared diff; a new patch is another diff.
    sha256: m.kind === "gate" ? preparedPatch(l)?.sha256 : "c".repeat(64),
  }));

const offers = (steps: TNextStep[], m: TMove) =>
  steps.some(
    (s) =>
      s.mine &&
      s.kind === m.kind &&
      (s.gate === undefined || s.gate === m.gate) &&
      (s.as === undefined || s.as === m.as) &&
      (s.teams === undefined || (m.team !== undefined && s.teams.includes(m.team))) &&
      (s.grantees === undefined || (m.granteeId !== undefined && s.grantees.includes(m.granteeId))),
  );

/**
 * The page and the server cannot drift: for every person, a move is offered to
 * them exactly when checkMove accepts it, and what must come first is the same
 * for everyone.
 */
function expectOffersToBeTheLaddersRule(l: TLadder) {
  const notYet = (id: string) =>
    stepsFor(l, id)
      .filter((s) => !s.allowed)
      .map((s) => `${said(s)} — ${s.why}`);
  for (const id of PEOPLE) {
    const steps = stepsFor(l, id);
    for (const m of attempts(id, l)) {
      const ok = checkMove(l, m, ROLES[id]).ok;
      if (ok !== offers(steps, m))
        expect.fail(
          `${id}, ${JSON.stringify(m)}: the ladder ${ok ? "accepts" : "refuses"} it, the page ${ok ? "withholds" : "offers"} it`,
        );
    }
    expect(notYet(id)).toEqual(notYet(PEOPLE[0]));
  }
}

describe("the escalation ladder (E3–E6)", () => {
  const cases: {
    name: string;
    before: TMove[];
    move: TMove;
    rule?: string;
    to?: string;
    dispute?: string | null;
  }[] = [
    {
      name: "option 1 starts with its patch, prepared by a developer",
      before: [],
      move: prep,
      to: "OPTION1",
    },
    {
      name: "option 1's patch needs its diff",
      before: [],
      move: mv("option1-patch", "dev", { reason: undefined }),
      rule: "REASON",
    },
    {
      name: "a tester does not prepare the patch",
      before: [],
      move: mv("option1-patch", "tara", { sha256: SHA }),
      rule: "ROLE",
    },
    {
      name: "no gate before the patch is prepared",
      before: [],
      move: gate("review-1", "ada"),
      rule: "E3",
    },
    {
      name: "the 1st assessor review comes first",
      before: [prep],
      move: gate("review-1", "ada"),
      to: "OPTION1",
    },
    {
      name: "the testers cannot go before the 1st review",
      before: [prep],
      move: gate("test", "tara"),
      rule: "E3",
    },
    {
      name: "the 2nd review cannot skip the testers",
      before: [prep, gate("review-1", "ada")],
      move: gate("review-2", "bert"),
      rule: "E3",
    },
    {
      name: "the 2nd review is by another assessor",
      before: [prep, gate("review-1", "ada"), gate("test", "tara")],
      move: gate("review-2", "ada"),
      rule: "E3",
    },
    {
      name: "a tester cannot do an assessor's review",
      before: [prep],
      move: gate("review-1", "tara"),
      rule: "ROLE",
    },
    {
      name: "the critical admin does not sign the deploy: the deployment record installs it",
      before: [prep, gate("review-1", "ada"), gate("test", "tara"), gate("review-2", "bert")],
      move: gate("deploy", "carl", { deploymentId: undefined }),
      rule: "E3",
    },
    {
      name: "who prepared the patch signs none of its gates",
      before: [mv("option1-patch", "ada", { sha256: SHA })],
      move: gate("review-1", "ada"),
      rule: "E3",
    },
    {
      name: "who prepared an earlier revision signs none of its gates either",
      before: [mv("option1-patch", "ada", { sha256: SHA }), { ...prep2, actorId: "dev" }],
      move: gate("review-1", "ada", { sha256: SHA2 }),
      rule: "E3",
    },
    {
      name: "a gate naming an earlier diff is refused",
      before: [prep, gate("review-1", "ada"), prep2],
      move: gate("review-1", "bert"),
      rule: "E3",
    },
    {
      name: "a new revision starts the gates again, for the new diff",
      before: [prep, gate("review-1", "ada"), prep2],
      move: gate("review-1", "bert", { sha256: SHA2 }),
      to: "OPTION1",
    },
    {
      name: "the same diff is not prepared twice",
      before: [prep],
      move: prep,
      rule: "STATE",
    },
    {
      name: "a failed test stops the gates until a new revision",
      before: [prep, gate("review-1", "ada"), gate("test", "tara", { verdict: "fail" })],
      move: gate("test", "tess"),
      rule: "E3",
    },
    {
      name: "the critical admin's deploy resolves option 1",
      before: [prep, gate("review-1", "ada"), gate("test", "tara"), gate("review-2", "bert")],
      move: gate("deploy", "carl"),
      to: "RESOLVED",
    },
    {
      name: "the assessor of the 1st review cannot also be the tester",
      before: [prep, gate("review-1", "abe")],
      move: gate("test", "abe"),
      rule: "E3",
    },
    {
      name: "the tester cannot also sign the 2nd review",
      before: [prep, gate("review-1", "ada"), gate("test", "abe")],
      move: gate("review-2", "abe"),
      rule: "E3",
    },
    {
      name: "the 1st reviewer cannot also deploy",
      before: [prep, gate("review-1", "both"), gate("test", "tara"), gate("review-2", "bert")],
      move: gate("deploy", "both"),
      rule: "E3",
    },
    {
      name: "the 2nd reviewer cannot also deploy",
      before: [prep, gate("review-1", "ada"), gate("test", "tara"), gate("review-2", "both")],
      move: gate("deploy", "both"),
      rule: "E3",
    },
    {
      name: "a person with two roles fills one gate, and another person deploys",
      before: [prep, gate("review-1", "both"), gate("test", "tara"), gate("review-2", "bert")],
      move: gate("deploy", "carl"),
      to: "RESOLVED",
    },
    {
      name: "option 2's patch and deploy need two people",
      before: [unfit, mv("option2-patch", "both")],
      move: mv("option2-deploy", "both"),
      rule: "E4",
    },
    {
      name: "option 2's patch by an assessor+admin is deployed by another admin",
      before: [unfit, mv("option2-patch", "both")],
      move: o2deploy,
      to: "OPTION2",
      dispute: "option2",
    },
    {
      name: "option 2's patch without option 1 unfit is refused",
      before: [],
      move: o2patch,
      rule: "E4",
    },
    {
      name: "option 2's deploy without option 1 unfit is refused",
      before: [],
      move: o2deploy,
      rule: "E4",
    },
    {
      name: "option 2's deploy needs the assessor's patch",
      before: [unfit],
      move: o2deploy,
      rule: "E6",
    },
    {
      name: "option 2 is allowed after option 1 is recorded unfit, and files a dispute",
      before: [unfit, o2patch],
      move: o2deploy,
      to: "OPTION2",
      dispute: "option2",
    },
    {
      name: "option 2 is allowed after a team is recorded unreachable",
      before: [mv("team-unreachable", "ada", { team: "TESTERS" }), o2patch],
      move: o2deploy,
      to: "OPTION2",
      dispute: "option2",
    },
    {
      name: "option 1 unfit needs a reason",
      before: [],
      move: mv("option1-unfit", "carl", { reason: "  " }),
      rule: "REASON",
    },
    {
      name: "a developer cannot record option 1 unfit",
      before: [],
      move: mv("option1-unfit", "dev"),
      rule: "ROLE",
    },
    {
      name: "only an assessor brings the option-2 patch",
      before: [unfit],
      move: mv("option2-patch", "carl"),
      rule: "ROLE",
    },
    {
      name: "only a critical admin deploys under option 2",
      before: [unfit, o2patch],
      move: mv("option2-deploy", "ada"),
      rule: "ROLE",
    },
    {
      name: "option 3 without a basis is refused",
      before: [unfit, o2patch, o2deploy],
      move: declCA,
      rule: "E5",
    },
    {
      name: "option 3 straight from the declaration is refused",
      before: [],
      move: declA,
      rule: "E5",
    },
    {
      name: "one option-3 declaration does not open option 3",
      before: [unfit, o2patch, o2deploy, o2failed],
      move: declCA,
      to: "OPTION2",
      dispute: null,
    },
    {
      name: "the second declaration opens option 3 and files a dispute",
      before: [unfit, o2patch, o2deploy, o2failed, declCA],
      move: declA,
      to: "OPTION3",
      dispute: "option3",
    },
    {
      name: "a live analysis is a basis for option 3 too",
      before: [mv("live-analysis", "ada"), declCA],
      move: declA,
      to: "OPTION3",
      dispute: "option3",
    },
    {
      name: "one person cannot make both option-3 declarations",
      before: [
        mv("live-analysis", "ada"),
        mv("option3-declaration", "both", { as: "CRITICAL_ADMIN" }),
      ],
      move: mv("option3-declaration", "both", { as: "ASSESSOR" }),
      rule: "E5",
    },
    {
      name: "an assessor cannot declare as critical admin",
      before: [mv("live-analysis", "ada")],
      move: mv("option3-declaration", "ada", { as: "CRITICAL_ADMIN" }),
      rule: "ROLE",
    },
    {
      name: "gates are closed once option 2 is used",
      before: [unfit, o2patch, o2deploy],
      move: gate("review-1", "ada"),
      rule: "E6",
    },
    {
      name: "a session cannot open before option 3",
      before: [unfit, o2patch, o2deploy],
      move: mv("session-opened", "carl", { granteeId: "ada" }),
      rule: "E6",
    },
    {
      name: "the session opens in option 3",
      before: [mv("live-analysis", "ada"), declCA, declA],
      move: mv("session-opened", "carl", { granteeId: "ada", reason: undefined }),
      to: "OPTION3",
      dispute: null,
    },
    {
      name: "the session is one-time only",
      before: [
        mv("live-analysis", "ada"),
        declCA,
        declA,
        mv("session-opened", "carl", { granteeId: "ada" }),
      ],
      move: mv("session-opened", "cora", { granteeId: "dev" }),
      rule: "E5",
    },
    {
      name: "only the watcher terminates",
      before: [
        mv("live-analysis", "ada"),
        declCA,
        declA,
        mv("session-opened", "carl", { granteeId: "ada" }),
      ],
      move: mv("session-terminated", "cora"),
      rule: "ROLE",
    },
    {
      name: "disable comes after terminate",
      before: [
        mv("live-analysis", "ada"),
        declCA,
        declA,
        mv("session-opened", "carl", { granteeId: "ada" }),
      ],
      move: mv("session-disabled", "carl"),
      rule: "E6",
    },
    {
      name: "resolving with a live session is refused",
      before: [
        mv("live-analysis", "ada"),
        declCA,
        declA,
        mv("session-opened", "carl", { granteeId: "ada" }),
      ],
      move: mv("resolve", "carl"),
      rule: "E6",
    },
    {
      name: "a false alarm: the declarer's closing alone does not close it",
      before: [],
      move: mv("close", "carl", { reason: "Not exploitable: the endpoint is disabled." }),
      to: "DECLARED",
    },
    {
      name: "nothing moves after resolution",
      before: [unfit, o2patch, o2deploy, mv("resolve", "carl")],
      move: o2failed,
      rule: "STATE",
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const l = run(c.before);
      const r = checkMove(l, c.move, ROLES[c.move.actorId]);
      if (c.rule) {
        expect(r).toMatchObject({ ok: false, rule: c.rule });
        expect(() => applyMove(l, c.move, ROLES[c.move.actorId])).toThrow(LadderRefusal);
      } else {
        expect(r).toMatchObject({
          ok: true,
          to: c.to,
          ...(c.dispute !== undefined ? { dispute: c.dispute } : {}),
        });
      }
    });
  }

  it("replays recorded moves to the same state and disputes", () => {
    const moves = [unfit, o2patch, o2deploy, o2failed, declCA, declA];
    expect(replay(moves)).toEqual(run(moves));
  });

  it("says what is allowed next and why", () => {
    const steps = nextSteps(run([prep]), { id: "ada", roles: ROLES.ada });
    expect(steps.find((s) => s.kind === "gate")).toMatchObject({ gate: "review-1", allowed: true });
    expect(nextSteps(EMPTY_LADDER, viewer("ada")).find((s) => s.kind === "gate")).toMatchObject({
      allowed: false,
      why: expect.stringContaining("prepared"),
    });
    expect(steps.find((s) => s.kind === "option2-deploy")).toMatchObject({
      allowed: false,
      why: expect.stringContaining("E4"),
    });
    const after = nextSteps(run([unfit, o2patch]), { id: "carl", roles: ROLES.carl });
    expect(after.find((s) => s.kind === "option2-deploy")).toMatchObject({ allowed: true });
  });

  it("refuses a ruling by anyone who took part", () => {
    expect(mayRule("ari", ["carl", "ada"])).toBe(true);
    expect(mayRule("carl", ["carl", "ada"])).toBe(false);
  });
});

describe("option 1 on a patch, and false alarms that end (E3, table-driven)", () => {
  const twoTests = emptyLadder({ testsRequired: 2, declaredById: "carl" });
  const r1 = gate("review-1", "ada");
  const t1 = gate("test", "tara");
  const t2 = gate("test", "tess");
  const r2 = gate("review-2", "bert");
  const close = (who: string) => mv("close", who, { reason: "Not an emergency." });
  const cases: { name: string; before: TMove[]; move: TMove; rule?: string; to?: string }[] = [
    {
      name: "with a test policy of 2, one tester is not enough",
      before: [prep, r1, t1],
      move: r2,
      rule: "E3",
    },
    {
      name: "the second tester completes the test gate",
      before: [prep, r1, t1],
      move: t2,
      to: "OPTION1",
    },
    {
      name: "the same tester does not count twice",
      before: [prep, r1, t1],
      move: gate("test", "tara"),
      rule: "E3",
    },
    {
      name: "after two testers, the 2nd review forwards it",
      before: [prep, r1, t1, t2],
      move: r2,
      to: "OPTION1",
    },
    {
      name: "the deployment record installs it: option 1 resolved",
      before: [prep, r1, t1, t2, r2],
      move: gate("deploy", "carl"),
      to: "RESOLVED",
    },
    {
      name: "once forwarded, the patch is not prepared again",
      before: [prep, r1, t1, t2, r2],
      move: prep2,
      rule: "E3",
    },
    {
      name: "the declarer signs the closing first",
      before: [],
      move: close("carl"),
      to: "DECLARED",
    },
    {
      name: "a second person completes the closing",
      before: [close("carl")],
      move: close("ada"),
      to: "CLOSED",
    },
    {
      name: "the second person may sign first",
      before: [close("ada")],
      move: close("carl"),
      to: "CLOSED",
    },
    {
      name: "two people other than the declarer do not close it",
      before: [close("ada")],
      move: close("bert"),
      rule: "STATE",
    },
    {
      name: "the declarer does not sign the closing twice",
      before: [close("carl")],
      move: close("carl"),
      rule: "STATE",
    },
    {
      name: "closing needs its reasons",
      before: [],
      move: mv("close", "ada", { reason: " " }),
      rule: "REASON",
    },
    {
      name: "a developer does not close an emergency",
      before: [],
      move: close("dev"),
      rule: "ROLE",
    },
    {
      name: "a closed emergency takes no more moves",
      before: [close("carl"), close("ada")],
      move: prep,
      rule: "STATE",
    },
    {
      name: "after option 2's deploy it is no false alarm",
      before: [unfit, o2patch, o2deploy],
      move: close("ada"),
      rule: "E6",
    },
    {
      name: "option 1 on its way can still be closed",
      before: [prep, r1],
      move: close("carl"),
      to: "OPTION1",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const l = run(c.before, twoTests);
      const r = checkMove(l, c.move, ROLES[c.move.actorId]);
      expect(r).toMatchObject(c.rule ? { ok: false, rule: c.rule } : { ok: true, to: c.to });
    });
  }

  it("replays option 1 with the emergency's context to the same ladder", () => {
    const moves = [prep, r1, t1, t2, r2, gate("deploy", "carl")];
    expect(replay(moves, twoTests.ctx)).toEqual(run(moves, twoTests));
    expect(replay(moves, twoTests.ctx).state).toBe("RESOLVED");
  });

  it("counts only the gates of the diff prepared last", () => {
    const l = run([prep, r1, prep2], twoTests);
    expect(currentGates(l)).toEqual([]);
    expect(nextSteps(l, viewer("bert")).find((s) => s.kind === "gate")).toMatchObject({
      gate: "review-1",
      mine: true,
    });
  });
});

describe("what the ladder offers next, for a viewer (nextSteps)", () => {
  const live = mv("live-analysis", "ada");
  const opened = mv("session-opened", "carl", { granteeId: "dev", reason: undefined });
  const terminated = mv("session-terminated", "carl", { reason: undefined });
  const cases: { name: string; before: TMove[]; viewer: string; steps: string[] }[] = [
    {
      name: "a fresh emergency, for an assessor: option 1 and its exits; options 2 and 3 wait",
      before: [],
      viewer: "ada",
      steps: [
        "option1-patch: mine",
        "gate/review-1: not yet",
        "option1-unfit: mine",
        "team-unreachable: mine",
        "option2-patch: not yet",
        "option2-deploy: not yet",
        "live-analysis: mine",
        "option3-declaration/CRITICAL_ADMIN: not yet",
        "option3-declaration/ASSESSOR: not yet",
        "close: mine",
      ],
    },
    {
      name: "a fresh emergency, for a developer: the same steps, only the patch theirs",
      before: [],
      viewer: "dev",
      steps: [
        "option1-patch: mine",
        "gate/review-1: not yet",
        "option1-unfit: not mine",
        "team-unreachable: not mine",
        "option2-patch: not yet",
        "option2-deploy: not yet",
        "live-analysis: not mine",
        "option3-declaration/CRITICAL_ADMIN: not yet",
        "option3-declaration/ASSESSOR: not yet",
        "close: not mine",
      ],
    },
    {
      name: "option 1 unfit: the assessor brings the patch, and its deploy waits for it",
      before: [unfit],
      viewer: "bert",
      steps: [
        "option1-patch: mine",
        "gate/review-1: not yet",
        "team-unreachable: mine",
        "option2-patch: mine",
        "option2-deploy: not yet",
        "live-analysis: mine",
        "option3-declaration/CRITICAL_ADMIN: not yet",
        "option3-declaration/ASSESSOR: not yet",
        "close: mine",
      ],
    },
    {
      name: "option 1 unfit and the assessor's patch recorded: the critical admin deploys",
      before: [unfit, o2patch],
      viewer: "carl",
      steps: [
        "option1-patch: not mine",
        "gate/review-1: not yet",
        "team-unreachable: mine",
        "option2-deploy: mine",
        "live-analysis: mine",
        "option3-declaration/CRITICAL_ADMIN: not yet",
        "option3-declaration/ASSESSOR: not yet",
        "close: mine",
      ],
    },
    {
      name: "on option 2: record it failed, a live analysis, or the solution",
      before: [unfit, o2patch, o2deploy],
      viewer: "ada",
      steps: [
        "option2-failed: mine",
        "live-analysis: mine",
        "option3-declaration/CRITICAL_ADMIN: not yet",
        "option3-declaration/ASSESSOR: not yet",
        "resolve: mine",
      ],
    },
    {
      name: "after the critical admin's declaration, the assessor's is left",
      before: [unfit, o2patch, o2deploy, o2failed, declCA],
      viewer: "ada",
      steps: [
        "option2-failed: mine",
        "live-analysis: mine",
        "option3-declaration/ASSESSOR: mine",
        "resolve: mine",
      ],
    },
    {
      name: "on option 3: the session opens, and the steps after it wait for it",
      before: [live, declCA, declA],
      viewer: "carl",
      steps: [
        "session-opened: mine",
        "session-terminated: not yet",
        "session-disabled: not yet",
        "resolve: mine",
      ],
    },
    {
      name: "a session open: only its watcher terminates it, and nobody resolves yet",
      before: [live, declCA, declA, opened],
      viewer: "cora",
      steps: ["session-terminated: not mine", "session-disabled: not yet", "resolve: not yet"],
    },
    {
      name: "the session terminated: its watcher disables the access",
      before: [live, declCA, declA, opened, terminated],
      viewer: "carl",
      steps: ["session-disabled: mine", "resolve: not yet"],
    },
    {
      name: "resolved: nothing more",
      before: [unfit, o2patch, o2deploy, mv("resolve", "carl")],
      viewer: "carl",
      steps: [],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const l = run(c.before);
      expect(stepsFor(l, c.viewer).map(said)).toEqual(c.steps);
      expectOffersToBeTheLaddersRule(l);
    });
  }

  it("words a step that must wait with the ladder's own refusal, for everyone alike", () => {
    const l = EMPTY_LADDER;
    const refused = checkMove(l, o2patch, ROLES.ada);
    expect(refused).toMatchObject({ ok: false, rule: "E4" });
    for (const id of PEOPLE) {
      const step = stepsFor(l, id).find((s) => s.kind === "option2-patch")!;
      expect(step.refusal).toEqual({
        rule: "E4",
        message: (refused as { message: string }).message,
      });
      expect(step.why).toBe(`Not yet (E4): ${(refused as { message: string }).message}`);
    }
  });

  it("says why a step someone else may make is not this viewer's", () => {
    const l = run([prep, gate("review-1", "ada"), gate("test", "tara")]);
    const review2 = (id: string) => stepsFor(l, id).find((s) => s.kind === "gate")!;
    expect(review2("ada")).toMatchObject({
      allowed: true,
      mine: false,
      refusal: { rule: "E3", message: expect.stringContaining("another assessor") },
    });
    expect(review2("tara")).toMatchObject({ mine: false, refusal: { rule: "ROLE" } });
    expect(review2("bert")).toMatchObject({ mine: true });
    expect(review2("bert").refusal).toBeUndefined();
  });

  it("offers only the particulars the ladder accepts: teams not yet unreachable, another grantee", () => {
    const l = run([mv("team-unreachable", "ada", { team: "TESTERS" })]);
    expect(stepsFor(l, "carl").find((s) => s.kind === "team-unreachable")?.teams).toEqual(
      TEAMS.filter((t) => t !== "TESTERS"),
    );
    const o3 = run([mv("live-analysis", "ada"), declCA, declA]);
    const session = nextSteps(o3, viewer("carl"), { grantees: ["carl", "dev"] }).find(
      (s) => s.kind === "session-opened",
    );
    expect(session).toMatchObject({ mine: true, grantees: ["dev"] });
  });

  it("stops offering a move with a pick once every pick is used", () => {
    const l = run(TEAMS.map((team) => mv("team-unreachable", "ada", { team })));
    expect(stepsFor(l, "ada").map((s) => s.kind)).not.toContain("team-unreachable");
    expectOffersToBeTheLaddersRule(l);
  });
});

describe("the ladder under random action sequences (property)", () => {
  const people = Object.keys(ROLES);
  const arbAny: fc.Arbitrary<TMove> = fc.record({
    kind: fc.constantFrom(...MOVE_KINDS),
    actorId: fc.constantFrom(...people),
    reason: fc.constantFrom(undefined, "", "a reason"),
    gate: fc.constantFrom(undefined, ...GATES),
    team: fc.constantFrom(undefined, ...TEAMS),
    as: fc.constantFrom(undefined, "CRITICAL_ADMIN" as const, "ASSESSOR" as const),
    granteeId: fc.constantFrom(undefined, ...people),
  });
  // Well-formed moves by the right people, mixed with anything at all: the
  // sequences then climb the ladder often enough for the property to bite.
  const arbMove: fc.Arbitrary<TMove> = fc.oneof(
    arbAny,
    fc.constantFrom(
      unfit,
      o2patch,
      o2deploy,
      o2failed,
      declCA,
      declA,
      mv("live-analysis", "ada"),
      mv("team-unreachable", "bert", { team: "TESTERS" }),
      mv("session-opened", "carl", { granteeId: "dev" }),
      mv("resolve", "ada"),
    ),
    // Option 1 on its patch, and a false alarm's two closings.
    fc.constantFrom(
      prep,
      prep2,
      gate("review-1", "bert"),
      gate("test", "tara"),
      gate("review-2", "ada"),
      gate("deploy", "cora"),
      mv("close", "carl"),
      mv("close", "ada"),
    ),
    // One person holding several roles, trying to fill several gates alone.
    fc.constantFrom(
      mv("option2-patch", "both"),
      mv("option2-deploy", "both"),
      gate("review-1", "abe"),
      gate("test", "abe"),
      gate("review-2", "both"),
      gate("deploy", "both"),
    ),
  );

  it("never reaches option 2 or 3 without its recorded precondition, every option 2 or 3 has a dispute, and no one person fills two gates", () => {
    fc.assert(
      fc.property(fc.array(arbMove, { maxLength: 40 }), (attempts) => {
        let l = emptyLadder({ testsRequired: 1, declaredById: "carl" });
        const seen = new Set<string>();
        for (const m of attempts) {
          const before = l;
          try {
            l = applyMove(l, m, ROLES[m.actorId]);
          } catch (e) {
            expect(e).toBeInstanceOf(LadderRefusal);
            expect(l).toBe(before); // a refusal changes nothing
            continue;
          }
          seen.add(l.state);
          const kinds = l.moves.map((x) => x.kind);
          const idx = (k: string) => kinds.indexOf(k as TMove["kind"]);
          if (seen.has("OPTION2") || kinds.includes("option2-deploy")) {
            const basis = Math.min(
              ...["option1-unfit", "team-unreachable"].map(idx).filter((i) => i >= 0),
            );
            expect(basis).toBeLessThan(idx("option2-deploy"));
            expect(idx("option2-patch")).toBeGreaterThanOrEqual(0);
            expect(idx("option2-patch")).toBeLessThan(idx("option2-deploy"));
            expect(l.moves.find((x) => x.kind === "option2-deploy")?.reason?.trim()).toBeTruthy();
            expect(l.disputes).toContain("option2");
            expect(l.moves.find((x) => x.kind === "option2-patch")!.actorId).not.toBe(
              l.moves.find((x) => x.kind === "option2-deploy")!.actorId,
            );
          }
          const gateActors = currentGates(l).map((x) => x.actorId);
          expect(new Set(gateActors).size).toBe(gateActors.length);
          if (l.state === "CLOSED") {
            const closers = l.moves.filter((x) => x.kind === "close").map((x) => x.actorId);
            expect(closers).toContain(l.ctx.declaredById);
            expect(new Set(closers).size).toBe(2);
          }
          if (seen.has("OPTION3")) {
            const basis = Math.min(
              ...["option2-failed", "live-analysis"].map(idx).filter((i) => i >= 0),
            );
            const decls = l.moves.filter((x) => x.kind === "option3-declaration");
            expect(decls.map((d) => d.as).sort()).toEqual(["ASSESSOR", "CRITICAL_ADMIN"]);
            expect(new Set(decls.map((d) => d.actorId)).size).toBe(2);
            expect(decls.every((d) => ROLES[d.actorId].includes(d.as!) && d.reason?.trim())).toBe(
              true,
            );
            expect(basis).toBeLessThan(idx("option3-declaration"));
            expect(l.disputes).toContain("option3");
          }
          expect(l.disputes.filter((d) => d === "option2").length).toBeLessThanOrEqual(1);
          expect(l.disputes.filter((d) => d === "option3").length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("reaches option 2 and option 3 at all under random sequences (the property is not vacuous)", () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.array(arbMove, { maxLength: 60 }), (attempts) => {
        let l = emptyLadder({ testsRequired: 1, declaredById: "carl" });
        for (const m of attempts) {
          try {
            l = applyMove(l, m, ROLES[m.actorId]);
            reached.add(l.state);
          } catch {
            /* refused */
          }
        }
      }),
      { numRuns: 3000, seed: 42 },
    );
    for (const state of ["OPTION1", "OPTION2", "OPTION3", "RESOLVED", "CLOSED"])
      expect(reached, state).toContain(state);
  });

  it("offers a person exactly the moves the ladder accepts, in every state reached (property)", () => {
    fc.assert(
      fc.property(fc.array(arbMove, { maxLength: 40 }), (attempted) => {
        const accepted = (l: TLadder, m: TMove) => checkMove(l, m, ROLES[m.actorId]).ok;
        expectOffersToBeTheLaddersRule(
          attempted.reduce(
            (l, m) => (accepted(l, m) ? applyMove(l, m, ROLES[m.actorId]) : l),
            EMPTY_LADDER,
          ),
        );
      }),
      { numRuns: 200 },
    );
    // 200 random ladders take 2 s alone; on a loaded CI machine more than the 5 s default.
  }, 30_000);
});
