import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { TRole } from "./roles";
import {
  applyMove,
  checkMove,
  EMPTY_LADDER,
  GATES,
  LadderRefusal,
  mayRule,
  MOVE_KINDS,
  nextSteps,
  replay,
  TEAMS,
  type TLadder,
  type TMove,
} from "./emergency-ladder";

// The people of a small CAcert-like team, by id, with their roles.
const ROLES: Record<string, TRole[]> = {
  ada: ["ASSESSOR"],
  bert: ["ASSESSOR"],
  tara: ["TESTER"],
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
const run = (moves: TMove[]): TLadder =>
  moves.reduce((l, m) => applyMove(l, m, ROLES[m.actorId]), EMPTY_LADDER);

const unfit = mv("option1-unfit", "carl", { reason: "The 24 hours ran out." });
const o2patch = mv("option2-patch", "ada", { reason: "Tested locally on a copy." });
const o2deploy = mv("option2-deploy", "carl", { reason: "Applied at 03:10, documented." });
const o2failed = mv("option2-failed", "carl", { reason: "Still failing." });
const declCA = mv("option3-declaration", "carl", { as: "CRITICAL_ADMIN" });
const declA = mv("option3-declaration", "ada", { as: "ASSESSOR" });
const gate = (g: (typeof GATES)[number], who: string) =>
  mv("gate", who, { gate: g, reason: undefined });

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
      name: "option 1 starts with the 1st assessor review",
      before: [],
      move: gate("review-1", "ada"),
      to: "OPTION1",
    },
    {
      name: "the testers cannot go before the 1st review",
      before: [],
      move: gate("test", "tara"),
      rule: "E3",
    },
    {
      name: "the 2nd review cannot skip the testers",
      before: [gate("review-1", "ada")],
      move: gate("review-2", "bert"),
      rule: "E3",
    },
    {
      name: "the 2nd review is by another assessor",
      before: [gate("review-1", "ada"), gate("test", "tara")],
      move: gate("review-2", "ada"),
      rule: "E3",
    },
    {
      name: "a tester cannot do an assessor's review",
      before: [],
      move: gate("review-1", "tara"),
      rule: "ROLE",
    },
    {
      name: "the critical admin's deploy resolves option 1",
      before: [gate("review-1", "ada"), gate("test", "tara"), gate("review-2", "bert")],
      move: gate("deploy", "carl"),
      to: "RESOLVED",
    },
    {
      name: "the assessor of the 1st review cannot also be the tester",
      before: [gate("review-1", "abe")],
      move: gate("test", "abe"),
      rule: "E3",
    },
    {
      name: "the tester cannot also sign the 2nd review",
      before: [gate("review-1", "ada"), gate("test", "abe")],
      move: gate("review-2", "abe"),
      rule: "E3",
    },
    {
      name: "the 1st reviewer cannot also deploy",
      before: [gate("review-1", "both"), gate("test", "tara"), gate("review-2", "bert")],
      move: gate("deploy", "both"),
      rule: "E3",
    },
    {
      name: "the 2nd reviewer cannot also deploy",
      before: [gate("review-1", "ada"), gate("test", "tara"), gate("review-2", "both")],
      move: gate("deploy", "both"),
      rule: "E3",
    },
    {
      name: "a person with two roles fills one gate, and another person deploys",
      before: [gate("review-1", "both"), gate("test", "tara"), gate("review-2", "bert")],
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
    const steps = nextSteps(EMPTY_LADDER);
    expect(steps.find((s) => s.kind === "gate")).toMatchObject({ gate: "review-1", allowed: true });
    expect(steps.find((s) => s.kind === "option2-deploy")).toMatchObject({
      allowed: false,
      why: expect.stringContaining("E4"),
    });
    const after = nextSteps(run([unfit, o2patch]));
    expect(after.find((s) => s.kind === "option2-deploy")).toMatchObject({ allowed: true });
  });

  it("refuses a ruling by anyone who took part", () => {
    expect(mayRule("ari", ["carl", "ada"])).toBe(true);
    expect(mayRule("carl", ["carl", "ada"])).toBe(false);
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
        let l = EMPTY_LADDER;
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
          const gateActors = l.moves.filter((x) => x.kind === "gate").map((x) => x.actorId);
          expect(new Set(gateActors).size).toBe(gateActors.length);
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
        let l = EMPTY_LADDER;
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
    expect(reached.has("OPTION2")).toBe(true);
    expect(reached.has("OPTION3")).toBe(true);
  });
});
