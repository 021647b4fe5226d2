import "server-only";
import { z } from "zod";
import { ZDateTime } from "./openapi-parts";
import type { TPersonActor } from "../auth/actor";
import {
  GATES,
  LADDER_STATES,
  MOVE_KINDS,
  nextSteps,
  TEAMS,
  type TTeam,
} from "../domain/emergency-ladder";
import { RULING_VERDICTS } from "../domain/emergency-statements";
import { SEVERITIES } from "../server/emergencies/declare-emergency";
import type { TEmergencyView } from "../server/emergencies/get-emergency";
import type { listEmergencies } from "../server/emergencies/list-emergencies";
import type { listDisputes } from "../server/emergencies/list-disputes";
import type { requireDispute } from "../server/emergencies/by-number";
import type { recordEmergencyStatement } from "../server/emergencies/record-emergency-statement";

// What the emergency and dispute routes answer: each shape as a zod schema (the
// OpenAPI document's, lib/api/openapi-emergencies.ts) and the function that
// writes it from what the use-case returned. Ids and dates as JSON gives them;
// big attachments (option 2's diff, session logs) stay in the evidence bundle.

const ZWhen = ZDateTime.meta({ description: "ISO 8601, UTC." });
const ZEmergencyState = z.enum(LADDER_STATES);

export const ZEmergencyPerson = z
  .object({ id: z.string(), name: z.string() })
  .meta({ id: "EmergencyPerson", description: "A person: account id and name." });

export const ZEmergencySummary = z
  .object({
    id: z.string(),
    number: z.number().int(),
    title: z.string(),
    severity: z.enum(SEVERITIES),
    state: ZEmergencyState,
    system: z.string().meta({ description: "The target system's slug." }),
    declaredAt: ZWhen,
    deadlineAt: ZWhen.meta({ description: "The declaration plus 24 hours." }),
    disputes: z.number().int().meta({ description: "How many disputes were filed." }),
  })
  .meta({ id: "EmergencySummary", description: "One emergency in the list, newest first." });

export const ZEmergencyResponder = z
  .object({
    team: z.enum(TEAMS),
    userId: z.string(),
    name: z.string(),
    contact: z.string(),
    namedAt: ZWhen,
    acknowledgedAt: ZWhen.nullable().meta({ description: "Standby acknowledged (signed)." }),
    statementId: z.string().nullable().meta({ description: "The signed acknowledgement." }),
  })
  .meta({ id: "EmergencyResponder", description: "A team's named responder." });

const ZSignedRef = z
  .object({ id: z.string(), fingerprint: z.string(), receivedAt: ZWhen })
  .meta({ description: "The signed statement (its text is in the evidence bundle)." });

export const ZEmergencyMove = z
  .object({
    id: z.string(),
    kind: z.enum(MOVE_KINDS),
    reason: z.string().nullable(),
    at: ZWhen,
    actor: ZEmergencyPerson,
    data: z.record(z.string(), z.string()).meta({
      description:
        "The move's particulars as recorded: gate, team, as, granteeId, patchId, sha256, verdict, develCommit, testServer, deploymentId.",
    }),
    statement: ZSignedRef.nullable(),
  })
  .meta({ id: "EmergencyMove", description: "A step of the ladder, in the order recorded." });

export const ZEmergencySession = z
  .object({
    id: z.string(),
    grantee: ZEmergencyPerson,
    watcher: ZEmergencyPerson,
    openedAt: ZWhen.nullable(),
    terminatedAt: ZWhen.nullable(),
    disabledAt: ZWhen.nullable(),
    logAttached: z.boolean().meta({ description: "The session log is in the evidence bundle." }),
  })
  .meta({ id: "EmergencySession", description: "Option 3's remote session." });

export const ZRuling = z
  .object({
    id: z.string(),
    verdict: z.enum(RULING_VERDICTS),
    reasoning: z.string(),
    ruledAt: ZWhen,
    arbitrator: ZEmergencyPerson,
    statementId: z.string(),
  })
  .meta({ id: "Ruling", description: "An arbitrator's signed ruling on a dispute." });

const ZDisputeState = z.enum(["OPEN", "RULED"]);

export const ZEmergencyDispute = z
  .object({
    id: z.string(),
    number: z.number().int(),
    state: ZDisputeState,
    filedAt: ZWhen,
    ruling: ZRuling.nullable(),
  })
  .meta({ id: "EmergencyDispute", description: "A dispute filed by the ladder (option 2 or 3)." });

export const ZEmergencyNextStep = z
  .object({
    kind: z.enum(MOVE_KINDS),
    gate: z.enum(GATES).optional(),
    as: z.enum(["CRITICAL_ADMIN", "ASSESSOR"]).optional(),
    allowed: z.boolean().meta({ description: "The ladder allows the step now (to someone)." }),
    mine: z.boolean().meta({ description: "The caller may take it now." }),
    why: z.string(),
    refusal: z
      .object({ rule: z.string(), message: z.string() })
      .optional()
      .meta({ description: "When not the caller's: the refusal the server would give." }),
    teams: z.array(z.enum(TEAMS)).optional(),
    grantees: z.array(z.string()).optional(),
  })
  .meta({
    id: "EmergencyNextStep",
    description: "A ladder step as the page offers it to the caller, by the server's own rules.",
  });

export const ZEmergency = z
  .object({
    id: z.string(),
    number: z.number().int(),
    title: z.string(),
    description: z.string(),
    severity: z.enum(SEVERITIES),
    state: ZEmergencyState,
    system: z.object({ slug: z.string(), name: z.string() }),
    declaredBy: ZEmergencyPerson,
    declaredAt: ZWhen,
    deadlineAt: ZWhen,
    resolvedAt: ZWhen.nullable(),
    clock: z.object({
      overdue: z.boolean(),
      msLeft: z.number().meta({ description: "Milliseconds to the deadline (negative: past)." }),
      level: z.enum(["calm", "escalated", "urgent", "overdue"]),
      marks: z.array(z.object({ hoursBefore: z.number(), at: ZWhen, passed: z.boolean() })),
    }),
    responders: z.array(ZEmergencyResponder),
    moves: z.array(ZEmergencyMove),
    sessions: z.array(ZEmergencySession),
    disputes: z.array(ZEmergencyDispute),
    patches: z
      .array(
        z.object({
          id: z.string(),
          number: z.number().int(),
          title: z.string(),
          state: z.string(),
        }),
      )
      .meta({ description: "Option 1's patch and the patches that re-entered the cycle." }),
    standby: z.array(z.enum(TEAMS)).meta({
      description: "The teams whose standby the caller, named responder, is to acknowledge.",
    }),
    nextSteps: z.array(ZEmergencyNextStep),
  })
  .meta({
    id: "Emergency",
    description:
      "An emergency: its clock, responders, every move in order, sessions, disputes, and what the caller may do next.",
  });

export const ZEmergencySignoff = z
  .union([
    z.object({ kind: z.literal("acknowledge"), team: z.enum(TEAMS), acknowledgedAt: ZWhen }),
    z.object({
      kind: z.literal("ruling"),
      id: z.string(),
      disputeId: z.string(),
      verdict: z.enum(RULING_VERDICTS),
    }),
    z.object({
      kind: z.enum(MOVE_KINDS),
      id: z.string(),
      from: ZEmergencyState,
      to: ZEmergencyState,
      disputeId: z.string().optional().meta({ description: "The dispute this move filed." }),
      patchId: z
        .string()
        .optional()
        .meta({ description: "Option 1's patch, or the patch that re-entered the cycle." }),
      fingerprint: z.string(),
    }),
  ])
  .meta({
    id: "EmergencySignoff",
    description: "What was recorded: a standby acknowledgement, a ruling, or a ladder move.",
  });

export const ZDisputeSummary = z
  .object({
    id: z.string(),
    number: z.number().int(),
    state: ZDisputeState,
    filedAt: ZWhen,
    emergency: z.object({
      number: z.number().int(),
      title: z.string(),
      state: ZEmergencyState,
      system: z.string(),
    }),
    ruling: z.object({ verdict: z.enum(RULING_VERDICTS), ruledAt: ZWhen }).nullable(),
  })
  .meta({ id: "DisputeSummary", description: "One dispute in the list, open ones first." });

export const ZDispute = z
  .object({
    id: z.string(),
    number: z.number().int(),
    state: ZDisputeState,
    reason: z.string().meta({ description: "Why it was filed, with the move's documentation." }),
    filedAt: ZWhen,
    emergency: z.object({
      id: z.string(),
      number: z.number().int(),
      title: z.string(),
      state: ZEmergencyState,
      system: z.string(),
    }),
    ruling: ZRuling.nullable(),
    mayRule: z.boolean().meta({ description: "The caller may rule on it now." }),
    tookPart: z
      .boolean()
      .meta({ description: "The caller took part in the emergency (and so may not rule)." }),
  })
  .meta({
    id: "Dispute",
    description: "A dispute; its emergency's full record is GET /api/v1/emergencies/{number}.",
  });

type TRulingRow = NonNullable<TEmergencyView["disputes"][number]["ruling"]>;

const rulingAnswer = (r: TRulingRow): z.input<typeof ZRuling> => ({
  id: r.id,
  verdict: r.verdict as z.input<typeof ZRuling>["verdict"],
  reasoning: r.reasoning,
  ruledAt: r.ruledAt.toISOString(),
  arbitrator: { id: r.arbitratorId, name: r.arbitrator.name },
  statementId: r.statementId,
});

export function emergencySummaryAnswer(
  e: Awaited<ReturnType<typeof listEmergencies>>[number],
): z.input<typeof ZEmergencySummary> {
  return {
    id: e.id,
    number: e.number,
    title: e.title,
    severity: e.severity as (typeof SEVERITIES)[number],
    state: e.state,
    system: e.system.slug,
    declaredAt: e.declaredAt.toISOString(),
    deadlineAt: e.deadlineAt.toISOString(),
    disputes: e._count.disputes,
  };
}

/** The emergency as the API answers it; `grantees`: who may be given remote access (listTeamMembers). */
export function emergencyAnswer(
  e: TEmergencyView,
  viewer: TPersonActor,
  grantees: readonly { id: string; name: string }[],
): z.input<typeof ZEmergency> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: e.id,
    number: e.number,
    title: e.title,
    description: e.description,
    severity: e.severity as (typeof SEVERITIES)[number],
    state: e.state,
    system: e.system,
    declaredBy: e.declaredBy,
    declaredAt: e.declaredAt.toISOString(),
    deadlineAt: e.clock.deadlineAt.toISOString(),
    resolvedAt: iso(e.resolvedAt),
    clock: {
      overdue: e.clock.overdue,
      msLeft: e.clock.msLeft,
      level: e.clock.level,
      marks: e.clock.marks.map((m) => ({ ...m, at: m.at.toISOString() })),
    },
    responders: e.responders.map((r) => ({
      team: r.team as TTeam,
      userId: r.userId,
      name: r.name,
      contact: r.contact,
      namedAt: r.namedAt.toISOString(),
      acknowledgedAt: iso(r.acknowledgedAt),
      statementId: r.statementId,
    })),
    moves: e.moves.map((m) => {
      // Option 2's diff is recorded with its move (base64); the bundle carries it as a file.
      const { diff: _diff, ...data } = m.data ?? {};
      return {
        id: m.id,
        kind: m.kind as (typeof MOVE_KINDS)[number],
        reason: m.reason,
        at: m.at.toISOString(),
        actor: m.actor,
        data,
        statement: m.statement
          ? {
              id: m.statement.id,
              fingerprint: m.statement.fingerprint,
              receivedAt: m.statement.receivedAt.toISOString(),
            }
          : null,
      };
    }),
    sessions: e.sessions.map((s) => ({
      id: s.id,
      grantee: { id: s.granteeId, name: s.granteeName },
      watcher: { id: s.watcherId, name: s.watcherName },
      openedAt: iso(s.openedAt),
      terminatedAt: iso(s.terminatedAt),
      disabledAt: iso(s.disabledAt),
      logAttached: s.log !== null,
    })),
    disputes: e.disputes.map((d) => ({
      id: d.id,
      number: d.number,
      state: d.state,
      filedAt: d.filedAt.toISOString(),
      ruling: d.ruling ? rulingAnswer(d.ruling) : null,
    })),
    patches: e.patches,
    standby: e.responders
      .filter((r) => r.userId === viewer.id && !r.acknowledgedAt)
      .map((r) => r.team as TTeam),
    nextSteps: nextSteps(e.ladder, viewer, { grantees: grantees.map((g) => g.id) }).map(
      ({ refusal, ...s }) => ({
        ...s,
        ...(refusal ? { refusal: { rule: refusal.rule, message: refusal.message } } : {}),
      }),
    ),
  };
}

export function emergencySignoffAnswer(
  r: Awaited<ReturnType<typeof recordEmergencyStatement>>,
): z.input<typeof ZEmergencySignoff> {
  if (r.kind === "acknowledge" && "team" in r)
    return { kind: r.kind, team: r.team as TTeam, acknowledgedAt: r.acknowledgedAt.toISOString() };
  if (r.kind === "ruling" && "verdict" in r)
    return {
      kind: r.kind,
      id: r.id,
      disputeId: r.disputeId,
      verdict: r.verdict as (typeof RULING_VERDICTS)[number],
    };
  const m = r as Extract<typeof r, { from: unknown }>;
  return {
    kind: m.kind as (typeof MOVE_KINDS)[number],
    id: m.id,
    from: m.from,
    to: m.to,
    ...(m.disputeId ? { disputeId: m.disputeId } : {}),
    ...(m.patchId ? { patchId: m.patchId } : {}),
    fingerprint: m.fingerprint,
  };
}

export function disputeSummaryAnswer(
  d: Awaited<ReturnType<typeof listDisputes>>[number],
): z.input<typeof ZDisputeSummary> {
  return {
    id: d.id,
    number: d.number,
    state: d.state,
    filedAt: d.filedAt.toISOString(),
    emergency: {
      number: d.emergency.number,
      title: d.emergency.title,
      state: d.emergency.state,
      system: d.emergency.system.slug,
    },
    ruling: d.ruling
      ? {
          verdict: d.ruling.verdict as (typeof RULING_VERDICTS)[number],
          ruledAt: d.ruling.ruledAt.toISOString(),
        }
      : null,
  };
}

export function disputeAnswer(
  r: Awaited<ReturnType<typeof requireDispute>>,
): z.input<typeof ZDispute> {
  return {
    id: r.dispute.id,
    number: r.dispute.number,
    state: r.dispute.state,
    reason: r.dispute.reason,
    filedAt: r.dispute.filedAt.toISOString(),
    emergency: {
      id: r.emergency.id,
      number: r.emergency.number,
      title: r.emergency.title,
      state: r.emergency.state,
      system: r.emergency.system.slug,
    },
    ruling: r.ruling ? rulingAnswer(r.ruling) : null,
    mayRule: r.mayRule,
    tookPart: r.tookPart,
  };
}

/** A ruling as GET /disputes/{number} spells it. */
export function rulingAnswerOf(r: Awaited<ReturnType<typeof requireDispute>>) {
  return r.ruling ? rulingAnswer(r.ruling) : null;
}
