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

const GATE_ROLE: Record<TGate, TRole> = {
  "review-1": "ASSESSOR",
  test: "TESTER",
  "review-2": "ASSESSOR",
  deploy: "CRITICAL_ADMIN",
};

export const MOVE_KINDS = [
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
] as const;
export type TMoveKind = (typeof MOVE_KINDS)[number];

export const MOVE_LABEL: Record<TMoveKind, string> = {
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
};

export type TDeclarant = "CRITICAL_ADMIN" | "ASSESSOR";

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
};

export type TDisputeCause = "option2" | "option3";

export type TLadder = { state: TLadderState; moves: TMove[]; disputes: TDisputeCause[] };

export const EMPTY_LADDER: TLadder = { state: "DECLARED", moves: [], disputes: [] };

/** Which rule refused a move: the requirement's number, or the generic guard. */
export type TLadderRule = "E3" | "E4" | "E5" | "E6" | "ROLE" | "REASON" | "STATE";
export type TLadderCheck =
  | { ok: true; to: TLadderState; dispute: TDisputeCause | null }
  | { ok: false; rule: TLadderRule; message: string };

const OPEN_BELOW_3: readonly TLadderState[] = ["DECLARED", "OPTION1", "OPTION2"];
const OPTION1_OPEN: readonly TLadderState[] = ["DECLARED", "OPTION1"];
const DECIDERS: readonly TRole[] = ["ASSESSOR", "CRITICAL_ADMIN"];

const has = (l: TLadder, kind: TMoveKind, pred: (m: TMove) => boolean = () => true) =>
  l.moves.some((m) => m.kind === kind && pred(m));
const find = (l: TLadder, kind: TMoveKind) => l.moves.find((m) => m.kind === kind);

/** The next option-1 gate, or null when all four are done. */
export function nextGate(l: TLadder): TGate | null {
  return GATES.find((g) => !has(l, "gate", (m) => m.gate === g)) ?? null;
}

/** E4's precondition: option 1 recorded unfit, or a required team recorded unreachable. */
export function option2Basis(l: TLadder): TMove | undefined {
  return l.moves.find((m) => m.kind === "option1-unfit" || m.kind === "team-unreachable");
}

/** E5's basis: option 2 recorded as not solving it, or a live analysis recorded as needed. */
export function option3Basis(l: TLadder): TMove | undefined {
  return l.moves.find((m) => m.kind === "option2-failed" || m.kind === "live-analysis");
}

type TRule = {
  from: readonly TLadderState[];
  who: (m: TMove) => readonly TRole[];
  reason: boolean;
  /** A refusal, or null when the move may be made. */
  check?: (l: TLadder, m: TMove) => { rule: TLadderRule; message: string } | null;
  to?: (l: TLadder, m: TMove) => TLadderState;
  dispute?: (l: TLadder, m: TMove) => TDisputeCause | null;
};

const refuse = (rule: TLadderRule, message: string) => ({ rule, message });

const OPTION2_PRECONDITION = (l: TLadder) =>
  option2Basis(l)
    ? null
    : refuse(
        "E4",
        "Option 2 needs option 1 recorded as unfit (with a reason) or a required team recorded as unreachable first.",
      );

const OPTION3_DECLARED = (l: TLadder) =>
  has(l, "option3-declaration", (m) => m.as === "CRITICAL_ADMIN") &&
  has(l, "option3-declaration", (m) => m.as === "ASSESSOR");

// The ladder. Each row: from which states, by whom, whether a reason is
// required, the precondition, and where it leads.
export const LADDER: Record<TMoveKind, TRule> = {
  gate: {
    from: OPTION1_OPEN,
    who: (m) => (m.gate ? [GATE_ROLE[m.gate]] : []),
    reason: false,
    check: (l, m) => {
      const next = nextGate(l);
      if (!m.gate) return refuse("E3", "Name the gate.");
      if (m.gate !== next)
        return refuse(
          "E3",
          `Option 1's gates go in order: the next one is "${next ? GATE_LABEL[next] : "none"}", not "${GATE_LABEL[m.gate]}".`,
        );
      if (m.gate === "review-2" && find(l, "gate")?.actorId === m.actorId) {
        return refuse("E3", "The 2nd assessor review must be by another assessor than the 1st.");
      }
      // Four gates, four people: one person holding several roles fills only one of them.
      const earlier = l.moves.find((x) => x.kind === "gate" && x.actorId === m.actorId);
      if (earlier?.gate)
        return refuse(
          "E3",
          `Option 1's gates need four different people: you already signed "${GATE_LABEL[earlier.gate]}".`,
        );
      return null;
    },
    to: (_l, m) => (m.gate === "deploy" ? "RESOLVED" : "OPTION1"),
  },
  "option1-unfit": {
    from: OPTION1_OPEN,
    who: () => DECIDERS,
    reason: true,
    check: (l) =>
      has(l, "option1-unfit") ? refuse("STATE", "Option 1 is already recorded as unfit.") : null,
  },
  "team-unreachable": {
    from: OPTION1_OPEN,
    who: () => DECIDERS,
    reason: true,
    check: (l, m) => {
      if (!m.team) return refuse("REASON", "Name the team that could not be reached.");
      return has(l, "team-unreachable", (x) => x.team === m.team)
        ? refuse("STATE", "This team is already recorded as unreachable.")
        : null;
    },
  },
  "option2-patch": {
    from: OPTION1_OPEN,
    who: () => ["ASSESSOR"],
    reason: true,
    check: (l) =>
      OPTION2_PRECONDITION(l) ??
      (has(l, "option2-patch") ? refuse("STATE", "An option-2 patch is already recorded.") : null),
  },
  "option2-deploy": {
    from: OPTION1_OPEN,
    who: () => ["CRITICAL_ADMIN"],
    reason: true,
    check: (l, m) =>
      OPTION2_PRECONDITION(l) ??
      (!has(l, "option2-patch")
        ? refuse(
            "E6",
            "A critical admin deploys under option 2 only an assessor's locally tested patch, signed: record it first.",
          )
        : find(l, "option2-patch")!.actorId === m.actorId
          ? refuse(
              "E4",
              "Option 2 needs two different people: the assessor who brought the patch cannot also deploy it.",
            )
          : null),
    to: () => "OPTION2",
    dispute: () => "option2",
  },
  "option2-failed": { from: ["OPTION2"], who: () => DECIDERS, reason: true },
  "live-analysis": {
    from: OPEN_BELOW_3,
    who: () => DECIDERS,
    reason: true,
    check: (l) =>
      has(l, "live-analysis")
        ? refuse("STATE", "A live analysis is already recorded as needed.")
        : null,
  },
  "option3-declaration": {
    from: OPEN_BELOW_3,
    who: (m) => (m.as ? [m.as] : []),
    reason: true,
    check: (l, m) => {
      if (!option3Basis(l)) {
        return refuse(
          "E5",
          "Option 3 needs option 2 recorded as not solving the problem, or a live analysis recorded as needed, first.",
        );
      }
      if (!m.as) return refuse("ROLE", "Declare as critical admin or as assessor.");
      if (has(l, "option3-declaration", (x) => x.as === m.as))
        return refuse(
          "STATE",
          `The ${m.as === "ASSESSOR" ? "assessor" : "critical admin"} has already declared.`,
        );
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
    check: (l, m) => {
      if (has(l, "session-opened"))
        return refuse("E5", "The remote access is one-time only: a session was already opened.");
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
    check: (l, m) => {
      const opened = find(l, "session-opened");
      if (!opened) return refuse("E6", "No remote session is open.");
      if (has(l, "session-terminated"))
        return refuse("STATE", "The session is already terminated.");
      return opened.actorId === m.actorId
        ? null
        : refuse("ROLE", "Only the watching critical admin terminates the session.");
    },
  },
  "session-disabled": {
    from: ["OPTION3"],
    who: () => ["CRITICAL_ADMIN"],
    reason: true,
    check: (l, m) => {
      if (!has(l, "session-terminated"))
        return refuse("E6", "Terminate the session before disabling the access.");
      if (has(l, "session-disabled")) return refuse("STATE", "The access is already disabled.");
      return find(l, "session-opened")!.actorId === m.actorId
        ? null
        : refuse("ROLE", "Only the watching critical admin disables the access.");
    },
  },
  resolve: {
    from: ["OPTION2", "OPTION3"],
    who: () => DECIDERS,
    reason: true,
    check: (l) =>
      has(l, "session-opened") && !has(l, "session-disabled")
        ? refuse("E6", "Terminate and disable the remote session before resolving.")
        : null,
    to: () => "RESOLVED",
  },
};

/** May this person (with these roles) make this move now? Says which rule refuses, in words. */
export function checkMove(l: TLadder, m: TMove, roles: readonly TRole[]): TLadderCheck {
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
  if (rule.reason && !m.reason?.trim())
    return {
      ok: false,
      rule: "REASON",
      message: `"${MOVE_LABEL[m.kind]}" needs a reason; it is recorded.`,
    };
  const refused = rule.check?.(l, m);
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
    state: c.to,
    moves: [...l.moves, m],
    disputes: c.dispute ? [...l.disputes, c.dispute] : l.disputes,
  };
}

/** Rebuilds the state from recorded moves, as the server does under the emergency's lock. */
export function replay(moves: readonly TMove[]): TLadder {
  let l: TLadder = EMPTY_LADDER;
  for (const m of moves) {
    const c = checkMove(l, m, [...LADDER[m.kind].who(m)]);
    // A recorded move was accepted when made: replay it as such, whatever the rules say now.
    l = {
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

export type TNextStep = {
  kind: TMoveKind;
  gate?: TGate;
  as?: TDeclarant;
  allowed: boolean;
  why: string;
};

/** What the ladder allows next and why, for the page (roles aside: the page filters by the viewer). */
export function nextSteps(l: TLadder): TNextStep[] {
  const out: TNextStep[] = [];
  const open1 = OPTION1_OPEN.includes(l.state);
  const gate = nextGate(l);
  if (open1 && gate)
    out.push({
      kind: "gate",
      gate,
      allowed: true,
      why: `Option 1's next gate: ${GATE_LABEL[gate]}.`,
    });
  if (open1 && !has(l, "option1-unfit"))
    out.push({
      kind: "option1-unfit",
      allowed: true,
      why: "Record why the fast path cannot handle this (e.g. the 24 hours run out).",
    });
  if (open1)
    out.push({
      kind: "team-unreachable",
      allowed: true,
      why: "Record a required team that could not be reached.",
    });
  const basis2 = option2Basis(l);
  if (open1 && !has(l, "option2-patch")) {
    out.push({
      kind: "option2-patch",
      allowed: !!basis2,
      why: basis2
        ? `Allowed: ${MOVE_LABEL[basis2.kind].toLowerCase()}.`
        : "Not yet: option 1 must be recorded unfit or a team unreachable (E4).",
    });
  }
  if (open1) {
    const p = has(l, "option2-patch");
    out.push({
      kind: "option2-deploy",
      allowed: !!basis2 && p,
      why: !basis2
        ? "Not yet: needs option 1 unfit or a team unreachable (E4)."
        : p
          ? "Allowed: the assessor's patch is recorded. A dispute is filed automatically."
          : "Not yet: the assessor's signed, locally tested patch comes first.",
    });
  }
  if (l.state === "OPTION2") {
    out.push({
      kind: "option2-failed",
      allowed: true,
      why: "Record that option 2 did not solve the problem.",
    });
    out.push({ kind: "resolve", allowed: true, why: "Record that the problem is solved." });
  }
  if (OPEN_BELOW_3.includes(l.state)) {
    if (!has(l, "live-analysis"))
      out.push({
        kind: "live-analysis",
        allowed: true,
        why: "Record that an engineer must analyse the live problem.",
      });
    const basis3 = option3Basis(l);
    for (const as of ["CRITICAL_ADMIN", "ASSESSOR"] as const) {
      if (has(l, "option3-declaration", (m) => m.as === as)) continue;
      out.push({
        kind: "option3-declaration",
        as,
        allowed: !!basis3,
        why: basis3
          ? "Allowed: sign that options 1 and 2 are insufficient, with reasons."
          : "Not yet: needs option 2 recorded as not solving it, or a live analysis (E5).",
      });
    }
  }
  if (l.state === "OPTION3") {
    if (!has(l, "session-opened"))
      out.push({
        kind: "session-opened",
        allowed: true,
        why: "Open the one-time remote session, under your watch.",
      });
    else if (!has(l, "session-terminated"))
      out.push({ kind: "session-terminated", allowed: true, why: "Terminate the session." });
    else if (!has(l, "session-disabled"))
      out.push({
        kind: "session-disabled",
        allowed: true,
        why: "Disable the access and attach the session log.",
      });
    out.push({
      kind: "resolve",
      allowed: !has(l, "session-opened") || has(l, "session-disabled"),
      why: "Record that the problem is solved (after the session is disabled).",
    });
  }
  return out;
}

/** E7: who took part in an emergency may not rule on its dispute. */
export function mayRule(arbitratorId: string, participantIds: readonly string[]): boolean {
  return !participantIds.includes(arbitratorId);
}
