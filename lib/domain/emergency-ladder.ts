import type { TRole } from "./roles";

// The emergency escalation ladder (E3–E6) as an explicit table. The ladder is
// the list of recorded moves; the state, the disputes and what may come next
// are all derived from it, so the server and the page can never disagree.
// Pure: no Prisma, no clock of its own.

export const LADDER_STATES = [
  "DECLARED",
  "OPTION1",
  "OPTION2",
  "OPTION3",
  "RESOLVED",
  "CLOSED",
] as const;
export type TLadderState = (typeof LADDER_STATES)[number];

export const TEAMS = [
  "DEVELOPERS",
  "ASSESSORS",
  "TESTERS",
  "CRITICAL_ADMINS",
  "ACCESS_ENGINEERS",
] as const;
export type TTeam = (typeof TEAMS)[number];

/** The role a team's responder must hold. */
export const TEAM_ROLE: Record<TTeam, TRole> = {
  DEVELOPERS: "DEVELOPER",
  ASSESSORS: "ASSESSOR",
  TESTERS: "TESTER",
  CRITICAL_ADMINS: "CRITICAL_ADMIN",
  ACCESS_ENGINEERS: "ACCESS_ENGINEER",
};

export const TEAM_LABEL: Record<TTeam, string> = {
  DEVELOPERS: "Developers",
  ASSESSORS: "Assessors",
  TESTERS: "Testers",
  CRITICAL_ADMINS: "Critical admins",
  ACCESS_ENGINEERS: "Access engineers",
};

/** Option 1's gates in the seed's fixed order. */
export const GATES = ["review-1", "test", "review-2", "deploy"] as const;
export type TGate = (typeof GATES)[number];

export const GATE_LABEL: Record<TGate, string> = {
  "review-1": "1st assessor review",
  test: "Testers check",
  "review-2": "2nd assessor review → critical team",
  deploy: "Critical admin deploys",
};

/** Who prepares option 1's patch: a software assessor, developer or engineer (the seed's step 5). */
const PREPARERS: readonly TRole[] = ["ASSESSOR", "DEVELOPER"];

const GATE_ROLE: Record<TGate, TRole> = {
  "review-1": "ASSESSOR",
  test: "TESTER",
  "review-2": "ASSESSOR",
  deploy: "CRITICAL_ADMIN",
};

export const MOVE_KINDS = [
  "option1-patch",
  "gate",
  "option1-unfit",
  "team-unreachable",
  "option2-patch",
  "option2-deploy",
  "option2-failed",
  "live-analysis",
  "option3-declaration",
  "session-opened",
  "session-terminated",
  "session-disabled",
  "resolve",
  "close",
] as const;
export type TMoveKind = (typeof MOVE_KINDS)[number];

export const MOVE_LABEL: Record<TMoveKind, string> = {
  "option1-patch": "Option 1: patch prepared",
  gate: "Option 1 gate",
  "option1-unfit": "Option 1 recorded unfit",
  "team-unreachable": "Team recorded unreachable",
  "option2-patch": "Option 2: assessor's locally tested patch",
  "option2-deploy": "Option 2: critical admin deployed the patch",
  "option2-failed": "Option 2 did not solve it",
  "live-analysis": "Live analysis needed",
  "option3-declaration": "Option 3: options 1 and 2 declared insufficient",
  "session-opened": "Remote session opened",
  "session-terminated": "Remote session terminated",
  "session-disabled": "Remote access disabled",
  resolve: "Emergency resolved",
  close: "Closed as not an emergency",
};

export type TDeclarant = "CRITICAL_ADMIN" | "ASSESSOR";
const DECLARANTS: readonly TDeclarant[] = ["CRITICAL_ADMIN", "ASSESSOR"];

/** A move as recorded (and as attempted): who, in which capacity, and its particulars. */
export type TMove = {
  kind: TMoveKind;
  actorId: string;
  reason?: string;
  gate?: TGate;
  team?: TTeam;
  /** The capacity an option-3 declaration is signed in. */
  as?: TDeclarant;
  /** The person given remote access (session-opened). */
  granteeId?: string;
  /** option1-patch: the prepared diff's SHA-256; gate: the diff the gate was signed for. */
  sha256?: string;
  /** The test gate: each tester's result. */
  verdict?: "pass" | "fail";
  /** The deploy gate: recorded by the server when the patch's deployment record installs it. */
  deploymentId?: string;
};

export type TDisputeCause = "option2" | "option3";

/** What the ladder needs to know of the emergency besides its moves. */
export type TLadderContext = {
  /** Who declared it: a false alarm is closed by the declarer and a second person. */
  declaredById?: string;
  /** The system's test policy: how many testers must pass option 1's patch. */
  testsRequired: number;
};

export type TLadder = {
  state: TLadderState;
  moves: TMove[];
  disputes: TDisputeCause[];
  ctx: TLadderContext;
};

export const DEFAULT_CONTEXT: TLadderContext = { testsRequired: 1 };
export const emptyLadder = (ctx: TLadderContext = DEFAULT_CONTEXT): TLadder => ({
  state: "DECLARED",
  moves: [],
  disputes: [],
  ctx,
});
export const EMPTY_LADDER: TLadder = emptyLadder();

/** Which rule refused a move: the requirement's number, or the generic guard. */
export type TLadderRule = "E3" | "E4" | "E5" | "E6" | "ROLE" | "REASON" | "STATE";
export type TLadderRefusal = { rule: TLadderRule; message: string };
export type TLadderCheck =
  { ok: true; to: TLadderState; dispute: TDisputeCause | null } | ({ ok: false } & TLadderRefusal);

const OPEN_BELOW_3: readonly TLadderState[] = ["DECLARED", "OPTION1", "OPTION2"];
const OPTION1_OPEN: readonly TLadderState[] = ["DECLARED", "OPTION1"];
const DECIDERS: readonly TRole[] = ["ASSESSOR", "CRITICAL_ADMIN"];

const has = (l: TLadder, kind: TMoveKind, pred: (m: TMove) => boolean = () => true) =>
  l.moves.some((m) => m.kind === kind && pred(m));
const find = (l: TLadder, kind: TMoveKind) => l.moves.find((m) => m.kind === kind);

/** Option 1's patch as last prepared: its gates are signed for this diff. */
export function preparedPatch(l: TLadder): TMove | undefined {
  return l.moves.findLast((m) => m.kind === "option1-patch");
}

/** The gates signed for the diff prepared last: a new revision starts them again. */
export function currentGates(l: TLadder): TMove[] {
  const sha = preparedPatch(l)?.sha256;
  return l.moves.filter((m) => m.kind === "gate" && sha !== undefined && m.sha256 === sha);
}

/** The test gate's count: distinct testers who passed the current diff, and whether one failed it. */
export function testResults(l: TLadder): { passed: string[]; failed: string[]; need: number } {
  const tests = currentGates(l).filter((m) => m.gate === "test");
  const ids = (v: "pass" | "fail") => [
    ...new Set(tests.filter((m) => (m.verdict ?? "pass") === v).map((m) => m.actorId)),
  ];
  return { passed: ids("pass"), failed: ids("fail"), need: Math.max(1, l.ctx.testsRequired) };
}

/** The next option-1 gate, or null when all four are done. */
export function nextGate(l: TLadder): TGate | null {
  const done = currentGates(l);
  const t = testResults(l);
  return (
    GATES.find((g) =>
      g === "test" ? t.passed.length < t.need : !done.some((m) => m.gate === g),
    ) ?? null
  );
}

/** The two signatures that end a false alarm: the declarer's and a second person's. */
function closers(l: TLadder, extra?: TMove) {
  const closes = [...l.moves, ...(extra ? [extra] : [])].filter((m) => m.kind === "close");
  return {
    declarer: closes.find((m) => m.actorId === l.ctx.declaredById),
    second: closes.find((m) => m.actorId !== l.ctx.declaredById),
  };
}

/** E4's precondition: option 1 recorded unfit, or a required team recorded unreachable. */
export function option2Basis(l: TLadder): TMove | undefined {
  return l.moves.find((m) => m.kind === "option1-unfit" || m.kind === "team-unreachable");
}

/** E5's basis: option 2 recorded as not solving it, or a live analysis recorded as needed. */
export function option3Basis(l: TLadder): TMove | undefined {
  return l.moves.find((m) => m.kind === "option2-failed" || m.kind === "live-analysis");
}

// A move's preconditions come in three kinds, because the page treats them
// differently (nextSteps) while the server refuses on any of them (checkMove):
// what must be recorded first holds for everyone, so the page shows the step
// as "not yet" with the refusal; what is already done hides the step; the rest
// is about the person and the particulars, so the step shows as someone else's.
type TRule = {
  from: readonly TLadderState[];
  who: (m: TMove) => readonly TRole[];
  reason: boolean;
  /** A diff must be attached (its SHA-256 is signed): like the reason, written when the step is taken. */
  attachment?: boolean;
  /** What must be recorded first, whoever asks. Reads the ladder only: never the person. */
  needs?: (l: TLadder) => TLadderRefusal | null;
  /** Already made, as often as it may be: refused, and no longer offered. Never reads the person. */
  done?: (l: TLadder, m: TMove) => TLadderRefusal | null;
  /** What the person and the move's particulars must satisfy. */
  check?: (l: TLadder, m: TMove) => TLadderRefusal | null;
  /** The page's steps for this move, each with the particulars the ladder fixes. Default: one. */
  rungs?: (l: TLadder) => Pick<TMove, "gate" | "as">[];
  /** The particular the person picks (the page offers those the ladder accepts). */
  pick?: "team" | "granteeId";
  /** What the step does, in the page's words. */
  hint: (m: TMove) => string;
  to?: (l: TLadder, m: TMove) => TLadderState;
  dispute?: (l: TLadder, m: TMove) => TDisputeCause | null;
};

const refuse = (rule: TLadderRule, message: string): TLadderRefusal => ({ rule, message });

const OPTION2_PRECONDITION = (l: TLadder) =>
  option2Basis(l)
    ? null
    : refuse(
        "E4",
        "Option 2 needs option 1 recorded as unfit (with a reason) or a required team recorded as unreachable first.",
      );

// The session is ended by the critical admin who watched it, no other.
const byWatcher = (message: string) => (l: TLadder, m: TMove) =>
  find(l, "session-opened")?.actorId === m.actorId ? null : refuse("ROLE", message);

const OPTION3_DECLARED = (l: TLadder) =>
  has(l, "option3-declaration", (m) => m.as === "CRITICAL_ADMIN") &&
  has(l, "option3-declaration", (m) => m.as === "ASSESSOR");

// The ladder. Each row: from which states, by whom, whether a reason is
// required, the precondition, and where it leads.
export const LADDER: Record<TMoveKind, TRule> = {
  "option1-patch": {
    from: OPTION1_OPEN,
    who: () => PREPARERS,
    reason: false,
    attachment: true,
    hint: () =>
      "Prepare the patch (a unified diff): option 1 runs it through the gates and the deployment record.",
    done: (l) =>
      currentGates(l).some((m) => m.gate === "review-2")
        ? refuse(
            "E3",
            "The patch is already with the critical team: record option 1 unfit to change course.",
          )
        : null,
    check: (l, m) => {
      if (m.sha256 && preparedPatch(l)?.sha256 === m.sha256)
        return refuse("STATE", "This diff is already the prepared patch.");
      return null;
    },
    to: () => "OPTION1",
  },
  gate: {
    from: OPTION1_OPEN,
    who: (m) => (m.gate ? [GATE_ROLE[m.gate]] : []),
    reason: false,
    // The page offers the next gate only: the others are refused by the order below.
    rungs: (l) => {
      const gate = nextGate(l);
      return gate ? [{ gate }] : [];
    },
    needs: (l) => {
      if (!preparedPatch(l))
        return refuse("E3", "Option 1 runs on a patch: it must be prepared (a diff) first.");
      const t = testResults(l);
      if (t.failed.length > 0)
        return refuse(
          "E3",
          "A tester reported a failure: prepare a new revision of the patch, or record option 1 unfit.",
        );
      return null;
    },
    hint: (m) =>
      m.gate === "deploy"
        ? "The critical team deploys through the patch's deployment record; the gate is recorded when the patch is installed."
        : `Option 1's next gate: ${m.gate ? GATE_LABEL[m.gate] : "none"}.`,
    check: (l, m) => {
      const next = nextGate(l);
      if (!m.gate) return refuse("E3", "Name the gate.");
      if (m.gate !== next)
        return refuse(
          "E3",
          `Option 1's gates go in order: the next one is "${next ? GATE_LABEL[next] : "none"}", not "${GATE_LABEL[m.gate]}".`,
        );
      const patch = preparedPatch(l)!;
      if (m.sha256 !== undefined && m.sha256 !== patch.sha256)
        return refuse("E3", "This statement names an earlier diff: the patch has a new revision.");
      if (m.gate === "deploy" && !m.deploymentId)
        return refuse(
          "E3",
          "Option 1 deploys through the patch's deployment record, not a statement of its own.",
        );
      // Whoever prepared any revision wrote part of the code: the patch's rules count them out too.
      if (has(l, "option1-patch", (x) => x.actorId === m.actorId))
        return refuse("E3", "Who prepared the patch does not sign its gates.");
      // Every gate by another person: one person holding several roles fills only one of them.
      const earlier = currentGates(l).find((x) => x.actorId === m.actorId);
      if (earlier?.gate)
        return refuse(
          "E3",
          m.gate === "review-2" && earlier.gate === "review-1"
            ? "The 2nd assessor review must be by another assessor than the 1st."
            : `Option 1's gates need different people: you already signed "${GATE_LABEL[earlier.gate]}".`,
        );
      return null;
    },
    to: (_l, m) => (m.gate === "deploy" ? "RESOLVED" : "OPTION1"),
  },
  "option1-unfit": {
    from: OPTION1_OPEN,
    who: () => DECIDERS,
    reason: true,
    hint: () => "Record why the fast path cannot handle this (e.g. the 24 hours run out).",
    done: (l) =>
      has(l, "option1-unfit") ? refuse("STATE", "Option 1 is already recorded as unfit.") : null,
  },
  "team-unreachable": {
    from: OPTION1_OPEN,
    who: () => DECIDERS,
    reason: true,
    pick: "team",
    hint: () => "Record a required team that could not be reached.",
    done: (l, m) =>
      m.team && has(l, "team-unreachable", (x) => x.team === m.team)
        ? refuse("STATE", "This team is already recorded as unreachable.")
        : null,
    check: (_l, m) =>
      m.team ? null : refuse("REASON", "Name the team that could not be reached."),
  },
  "option2-patch": {
    from: OPTION1_OPEN,
    who: () => ["ASSESSOR"],
    reason: true,
    hint: () => "Sign the locally tested patch that a critical admin is to deploy.",
    needs: OPTION2_PRECONDITION,
    done: (l) =>
      has(l, "option2-patch") ? refuse("STATE", "An option-2 patch is already recorded.") : null,
  },
  "option2-deploy": {
    from: OPTION1_OPEN,
    who: () => ["CRITICAL_ADMIN"],
    reason: true,
    hint: () => "Deploy the assessor's recorded patch. A dispute is filed automatically.",
    needs: (l) =>
      OPTION2_PRECONDITION(l) ??
      (has(l, "option2-patch")
        ? null
        : refuse(
            "E6",
            "A critical admin deploys under option 2 only an assessor's locally tested patch, signed: record it first.",
          )),
    check: (l, m) =>
      find(l, "option2-patch")?.actorId === m.actorId
        ? refuse(
            "E4",
            "Option 2 needs two different people: the assessor who brought the patch cannot also deploy it.",
          )
        : null,
    to: () => "OPTION2",
    dispute: () => "option2",
  },
  "option2-failed": {
    from: ["OPTION2"],
    who: () => DECIDERS,
    reason: true,
    hint: () => "Record that option 2 did not solve the problem.",
  },
  "live-analysis": {
    from: OPEN_BELOW_3,
    who: () => DECIDERS,
    reason: true,
    hint: () => "Record that an engineer must analyse the live problem.",
    done: (l) =>
      has(l, "live-analysis")
        ? refuse("STATE", "A live analysis is already recorded as needed.")
        : null,
  },
  "option3-declaration": {
    from: OPEN_BELOW_3,
    who: (m) => (m.as ? [m.as] : []),
    reason: true,
    // Two declarations, one in each capacity: the page offers each as its own step.
    rungs: () => DECLARANTS.map((as) => ({ as })),
    hint: () => "Sign that options 1 and 2 are insufficient, with reasons.",
    needs: (l) =>
      option3Basis(l)
        ? null
        : refuse(
            "E5",
            "Option 3 needs option 2 recorded as not solving the problem, or a live analysis recorded as needed, first.",
          ),
    done: (l, m) =>
      m.as && has(l, "option3-declaration", (x) => x.as === m.as)
        ? refuse(
            "STATE",
            `The ${m.as === "ASSESSOR" ? "assessor" : "critical admin"} has already declared.`,
          )
        : null,
    check: (l, m) => {
      if (!m.as) return refuse("ROLE", "Declare as critical admin or as assessor.");
      if (has(l, "option3-declaration", (x) => x.actorId === m.actorId)) {
        return refuse(
          "E5",
          "Option 3 needs two different people: a critical admin and an assessor.",
        );
      }
      return null;
    },
    to: (l, m) => (OPTION3_DECLARED({ ...l, moves: [...l.moves, m] }) ? "OPTION3" : l.state),
    dispute: (l, m) => (OPTION3_DECLARED({ ...l, moves: [...l.moves, m] }) ? "option3" : null),
  },
  "session-opened": {
    from: ["OPTION3"],
    who: () => ["CRITICAL_ADMIN"],
    reason: false,
    pick: "granteeId",
    hint: () => "Open the one-time remote session, under your watch.",
    done: (l) =>
      has(l, "session-opened")
        ? refuse("E5", "The remote access is one-time only: a session was already opened.")
        : null,
    check: (_l, m) => {
      if (!m.granteeId) return refuse("REASON", "Name who gets the remote access.");
      if (m.granteeId === m.actorId)
        return refuse("E5", "The watching critical admin cannot also be the one given access.");
      return null;
    },
  },
  "session-terminated": {
    from: ["OPTION3"],
    who: () => ["CRITICAL_ADMIN"],
    reason: false,
    hint: () => "Terminate the session.",
    needs: (l) => (has(l, "session-opened") ? null : refuse("E6", "No remote session is open.")),
    done: (l) =>
      has(l, "session-terminated") ? refuse("STATE", "The session is already terminated.") : null,
    check: byWatcher("Only the watching critical admin terminates the session."),
  },
  "session-disabled": {
    from: ["OPTION3"],
    who: () => ["CRITICAL_ADMIN"],
    reason: true,
    hint: () => "Disable the access and attach the session log.",
    needs: (l) =>
      has(l, "session-terminated")
        ? null
        : refuse("E6", "Terminate the session before disabling the access."),
    done: (l) =>
      has(l, "session-disabled") ? refuse("STATE", "The access is already disabled.") : null,
    check: byWatcher("Only the watching critical admin disables the access."),
  },
  resolve: {
    from: ["OPTION2", "OPTION3"],
    who: () => DECIDERS,
    reason: true,
    hint: () => "Record that the problem is solved.",
    needs: (l) =>
      has(l, "session-opened") && !has(l, "session-disabled")
        ? refuse("E6", "Terminate and disable the remote session before resolving.")
        : null,
    to: () => "RESOLVED",
  },
  close: {
    // A false alarm ends before anything was deployed under option 2 or 3.
    from: OPTION1_OPEN,
    who: () => DECIDERS,
    reason: true,
    hint: () =>
      "Sign that this is not an emergency, with reasons: the declarer and a second critical admin or assessor close it.",
    check: (l, m) => {
      const c = closers(l);
      if (m.actorId === l.ctx.declaredById)
        return c.declarer ? refuse("STATE", "You have already signed the closing.") : null;
      if (c.second)
        return refuse(
          "STATE",
          "A second person has already signed the closing: the declarer signs next.",
        );
      return null;
    },
    to: (l, m) => {
      const c = closers(l, m);
      return c.declarer && c.second ? "CLOSED" : l.state;
    },
  },
};

/** May this person (with these roles) make this move now? Says which rule refuses, in words. */
export function checkMove(l: TLadder, m: TMove, roles: readonly TRole[]): TLadderCheck {
  return judge(l, m, roles, { reasonPending: false });
}

// checkMove itself; with the reason pending, everything but the reason, which
// the person has yet to write when the page offers the step.
function judge(
  l: TLadder,
  m: TMove,
  roles: readonly TRole[],
  { reasonPending }: { reasonPending: boolean },
): TLadderCheck {
  const rule = LADDER[m.kind];
  if (!rule) return { ok: false, rule: "STATE", message: `Unknown move "${String(m.kind)}".` };
  if (!rule.from.includes(l.state)) {
    return {
      ok: false,
      rule: l.state === "RESOLVED" || l.state === "CLOSED" ? "STATE" : "E6",
      message: `"${MOVE_LABEL[m.kind]}" is not possible while the emergency is ${describeState(l.state)}.`,
    };
  }
  const who = rule.who(m);
  if (!who.some((r) => roles.includes(r))) {
    return {
      ok: false,
      rule: "ROLE",
      message: `"${MOVE_LABEL[m.kind]}" is made by ${who.length ? who.map((r) => r.toLowerCase().replace("_", " ")).join(" or ") : "someone in a named capacity"}.`,
    };
  }
  if (rule.reason && !reasonPending && !m.reason?.trim())
    return {
      ok: false,
      rule: "REASON",
      message: `"${MOVE_LABEL[m.kind]}" needs a reason; it is recorded.`,
    };
  if (rule.attachment && !reasonPending && !m.sha256)
    return { ok: false, rule: "REASON", message: "Attach the patch (a unified diff)." };
  const refused = rule.needs?.(l) ?? rule.done?.(l, m) ?? rule.check?.(l, m);
  if (refused) return { ok: false, ...refused };
  return { ok: true, to: rule.to?.(l, m) ?? l.state, dispute: rule.dispute?.(l, m) ?? null };
}

export class LadderRefusal extends Error {
  constructor(
    readonly rule: TLadderRule,
    message: string,
  ) {
    super(message);
    this.name = "LadderRefusal";
  }
}

/** The ladder after the move; throws LadderRefusal (and changes nothing) when the move is refused. */
export function applyMove(l: TLadder, m: TMove, roles: readonly TRole[]): TLadder {
  const c = checkMove(l, m, roles);
  if (!c.ok) throw new LadderRefusal(c.rule, c.message);
  return {
    ...l,
    state: c.to,
    moves: [...l.moves, m],
    disputes: c.dispute ? [...l.disputes, c.dispute] : l.disputes,
  };
}

/** Rebuilds the state from recorded moves, as the server does under the emergency's lock. */
export function replay(moves: readonly TMove[], ctx: TLadderContext = DEFAULT_CONTEXT): TLadder {
  let l: TLadder = emptyLadder(ctx);
  for (const m of moves) {
    const c = checkMove(l, m, [...LADDER[m.kind].who(m)]);
    // A recorded move was accepted when made: replay it as such, whatever the rules say now.
    l = {
      ...l,
      state: c.ok ? c.to : (LADDER[m.kind].to?.(l, m) ?? l.state),
      moves: [...l.moves, m],
      disputes: c.ok && c.dispute ? [...l.disputes, c.dispute] : l.disputes,
    };
  }
  return l;
}

export function describeState(s: TLadderState): string {
  return {
    DECLARED: "declared (option 1 not started)",
    OPTION1: "on option 1, the fast path",
    OPTION2: "on option 2",
    OPTION3: "on option 3",
    RESOLVED: "resolved",
    CLOSED: "closed",
  }[s];
}

export type TViewer = { id: string; roles: readonly TRole[] };

export type TNextStep = {
  kind: TMoveKind;
  gate?: TGate;
  as?: TDeclarant;
  /** The ladder allows the step now, to whoever may make it; false: something must come first. */
  allowed: boolean;
  /** The viewer may make it now (with a reason, where one is needed). */
  mine: boolean;
  /** What the step does; when not allowed, what must come first. */
  why: string;
  /** When not mine: the ladder's refusal of the viewer's move, as the server words it. */
  refusal?: TLadderRefusal;
  /** team-unreachable, when mine: the teams the viewer may name. */
  teams?: TTeam[];
  /** session-opened, when mine: the candidates the viewer may give the access to. */
  grantees?: string[];
};

/**
 * What may come next on the ladder, for this viewer: the steps it offers now and,
 * for those not yet possible, the refusal that blocks them. Read off the ladder's
 * own rows and decided by checkMove's own judgement, so the page never offers a
 * move the server refuses nor withholds one it accepts. `grantees`: who may be
 * given remote access (the ladder does not know who holds which role).
 */
export function nextSteps(
  l: TLadder,
  viewer: TViewer,
  { grantees = [] }: { grantees?: readonly string[] } = {},
): TNextStep[] {
  const out: TNextStep[] = [];
  for (const kind of MOVE_KINDS) {
    const rule = LADDER[kind];
    if (!rule.from.includes(l.state)) continue;
    for (const fixed of rule.rungs?.(l) ?? [{}]) {
      const base: TMove = { kind, actorId: viewer.id, ...fixed };
      const picks: Partial<TMove>[] =
        rule.pick === "team"
          ? TEAMS.map((team) => ({ team }))
          : rule.pick === "granteeId"
            ? grantees.map((granteeId) => ({ granteeId }))
            : [];
      // With nothing to pick from, the move is judged as it stands (refused for want of it).
      const moves = (picks.length ? picks : [{}])
        .map((p) => ({ ...base, ...p }))
        .filter((m) => !rule.done?.(l, m));
      if (moves.length === 0) continue; // made already, as often as it may be
      const needed = rule.needs?.(l);
      if (needed) {
        out.push({
          kind,
          ...fixed,
          allowed: false,
          mine: false,
          why: `Not yet (${needed.rule}): ${needed.message}`,
          refusal: needed,
        });
        continue;
      }
      const judged = moves.map((m) => ({
        m,
        c: judge(l, m, viewer.roles, { reasonPending: true }),
      }));
      const accepted = judged.filter((j) => j.c.ok).map((j) => j.m);
      const step: TNextStep = {
        kind,
        ...fixed,
        allowed: true,
        mine: accepted.length > 0,
        why: rule.hint(base),
      };
      const first = judged[0].c;
      if (!first.ok && !step.mine) step.refusal = { rule: first.rule, message: first.message };
      if (step.mine && rule.pick === "team") step.teams = accepted.map((m) => m.team!);
      if (step.mine && rule.pick === "granteeId") step.grantees = accepted.map((m) => m.granteeId!);
      out.push(step);
    }
  }
  return out;
}

/** E7: who took part in an emergency may not rule on its dispute. */
export function mayRule(arbitratorId: string, participantIds: readonly string[]): boolean {
  return !participantIds.includes(arbitratorId);
}
