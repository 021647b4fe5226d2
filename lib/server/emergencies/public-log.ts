import "server-only";
import { db } from "../../db";
import { MOVE_LABEL, type TMoveKind } from "../../domain/emergency-ladder";

export type TPublicEmergency = {
  number: number;
  title: string;
  system: string;
  severity: string;
  state: string;
  declaredAt: string;
  declaredBy: string;
  resolvedAt: string | null;
  option: 1 | 2 | 3;
  decisions: { what: string; by: string; at: string; reason: string | null }[];
  disputes: {
    number: number;
    state: string;
    ruling: { verdict: string; reasoning: string; by: string; at: string } | null;
  }[];
};

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
 * E7: the public emergency log, readable without an account. What, when, which
 * option, who decided, dispute state and ruling: names only, no contact
 * details, no statements, keys, diffs or session logs.
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
  return rows.map((e) => ({
    number: e.number,
    title: e.title,
    system: e.system.name,
    severity: e.severity,
    state: e.state,
    declaredAt: e.declaredAt.toISOString(),
    declaredBy: e.declaredBy.name,
    resolvedAt: e.resolvedAt?.toISOString() ?? null,
    option:
      e.moves.filter((m) => m.kind === "option3-declaration").length >= 2
        ? 3
        : e.moves.some((m) => m.kind === "option2-deploy")
          ? 2
          : 1,
    decisions: e.moves
      .filter((m) => (DECISIONS as string[]).includes(m.kind))
      .map((m) => ({
        what: MOVE_LABEL[m.kind as TMoveKind],
        by: m.actor.name,
        at: m.at.toISOString(),
        reason: m.reason,
      })),
    disputes: e.disputes.map((d) => ({
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
    })),
  }));
}
