import "server-only";
import { db } from "../../db";
import { MOVE_LABEL, type TMoveKind } from "../../domain/emergency-ladder";
import {
  endedLine,
  inProgressLine,
  lastChanged,
  redactForPublic,
  type TPublicInProgress,
} from "../../domain/public-emergency";

/** An emergency that has ended (resolved, or closed as not an emergency): everything public. */
export type TPublicEnded = {
  number: number;
  inProgress: false;
  title: string;
  system: string;
  severity: string;
  state: "RESOLVED" | "CLOSED";
  declaredAt: string;
  declaredBy: string;
  resolvedAt: string | null;
  closedAt: string | null;
  /** "resolved 2026-12-03 05:06 UTC" or "closed: not an emergency (…)". */
  outcome: string;
  /** The option that handled it; null when it was closed as not an emergency. */
  option: 1 | 2 | 3 | null;
  decisions: { what: string; by: string; at: string; reason: string | null }[];
  /** CLOSED: the declarer's and the second person's signed reasons. */
  closingReasons: { by: string; at: string; reason: string | null }[];
  disputes: {
    number: number;
    state: string;
    ruling: { verdict: string; reasoning: string; by: string; at: string } | null;
  }[];
  /** When this entry last changed (the Atom entry's `updated`). */
  updated: string;
};

/** An emergency in progress: its system and when it was declared, nothing else (E7). */
export type TPublicOngoing = TPublicInProgress & { summary: string; updated: string };

export type TPublicEmergency = TPublicEnded | TPublicOngoing;

// Only these moves are decisions the public sees; gates and session steps are in the signed-in record.
const DECISIONS: TMoveKind[] = [
  "option1-unfit",
  "team-unreachable",
  "option2-deploy",
  "option2-failed",
  "live-analysis",
  "option3-declaration",
  "resolve",
];

/**
 * E7: the public emergency log, readable without an account. An emergency in
 * progress shows only its system and the time it was declared; once it has
 * ended: what, when, which option, who decided, dispute state and ruling
 * (names only, no contact details, statements, keys, diffs or session logs).
 */
export async function publicEmergencyLog(): Promise<TPublicEmergency[]> {
  const rows = await db.emergency.findMany({
    orderBy: { declaredAt: "desc" },
    take: 500,
    select: {
      number: true,
      title: true,
      severity: true,
      state: true,
      declaredAt: true,
      resolvedAt: true,
      closedAt: true,
      system: { select: { name: true } },
      declaredBy: { select: { name: true } },
      moves: {
        orderBy: { at: "asc" },
        select: { kind: true, at: true, reason: true, actor: { select: { name: true } } },
      },
      disputes: {
        orderBy: { number: "asc" },
        select: {
          number: true,
          state: true,
          ruling: {
            select: {
              verdict: true,
              reasoning: true,
              ruledAt: true,
              arbitrator: { select: { name: true } },
            },
          },
        },
      },
    },
  });
  return rows.map((e): TPublicEmergency => {
    const declaredAt = e.declaredAt.toISOString();
    const shown = redactForPublic({
      number: e.number,
      system: e.system.name,
      declaredAt,
      state: e.state,
    });
    if (shown.inProgress)
      return { ...shown, summary: inProgressLine(shown), updated: lastChanged([declaredAt]) };

    const state = e.state as "RESOLVED" | "CLOSED";
    const closes = e.moves.filter((m) => m.kind === "close");
    const closedAt =
      state === "CLOSED"
        ? ((e.closedAt ?? closes.at(-1)?.at ?? null)?.toISOString() ?? null)
        : null;
    const resolvedAt = e.resolvedAt?.toISOString() ?? null;
    const decisions = e.moves
      .filter((m) => (DECISIONS as string[]).includes(m.kind))
      .map((m) => ({
        what: MOVE_LABEL[m.kind as TMoveKind],
        by: m.actor.name,
        at: m.at.toISOString(),
        reason: m.reason,
      }));
    const disputes = e.disputes.map((d) => ({
      number: d.number,
      state: d.state,
      ruling: d.ruling
        ? {
            verdict: d.ruling.verdict,
            reasoning: d.ruling.reasoning,
            by: d.ruling.arbitrator.name,
            at: d.ruling.ruledAt.toISOString(),
          }
        : null,
    }));
    const closingReasons = closes.map((m) => ({
      by: m.actor.name,
      at: m.at.toISOString(),
      reason: m.reason,
    }));
    return {
      number: e.number,
      inProgress: false,
      title: e.title,
      system: e.system.name,
      severity: e.severity,
      state,
      declaredAt,
      declaredBy: e.declaredBy.name,
      resolvedAt,
      closedAt,
      outcome: endedLine({ state, endedAt: state === "CLOSED" ? closedAt : resolvedAt }),
      option:
        state === "CLOSED"
          ? null
          : e.moves.filter((m) => m.kind === "option3-declaration").length >= 2
            ? 3
            : e.moves.some((m) => m.kind === "option2-deploy")
              ? 2
              : 1,
      decisions,
      closingReasons,
      disputes,
      updated: lastChanged([
        declaredAt,
        resolvedAt,
        closedAt,
        ...decisions.map((d) => d.at),
        ...closingReasons.map((c) => c.at),
        ...disputes.map((d) => d.ruling?.at),
      ]),
    };
  });
}
