import "server-only";
import type { Tx } from "../../db";
import { AppError } from "../../errors";
import {
  LadderRefusal,
  MOVE_KINDS,
  replay,
  type TLadder,
  type TMove,
  type TMoveKind,
} from "../../domain/emergency-ladder";
import { parseMarks } from "../../domain/emergency-clock";
import { env } from "../../env";

/** Escalation marks, hours before the deadline (EMERGENCY_ESCALATION_MARKS="12,6,2"). */
export function escalationMarks(): number[] {
  return parseMarks(env().EMERGENCY_ESCALATION_MARKS);
}

/** Serialises every change to one emergency: the ladder is read and extended under this lock. */
export async function lockEmergency(tx: Tx, emergencyId: string): Promise<void> {
  const n = await tx.$executeRaw`SELECT 1 FROM "Emergency" WHERE id = ${emergencyId} FOR UPDATE`;
  if (n === 0) throw new AppError("NOT_FOUND", "No such emergency.");
}

type TMoveRow = { kind: string; actorId: string; reason: string | null; data: unknown };

/** A recorded move row as the ladder reads it. */
export function toMove(row: TMoveRow): TMove {
  const d = (row.data ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : undefined);
  return {
    kind: row.kind as TMoveKind,
    actorId: row.actorId,
    reason: row.reason ?? undefined,
    gate: str("gate") as TMove["gate"],
    team: str("team") as TMove["team"],
    as: str("as") as TMove["as"],
    granteeId: str("granteeId"),
    sha256: str("sha256"),
    verdict: str("verdict") as TMove["verdict"],
    deploymentId: str("deploymentId"),
  };
}

/** The recorded rows that are moves of the ladder, as the ladder reads them. */
export function ladderMoves(rows: readonly TMoveRow[]): TMove[] {
  return rows.filter((m) => (MOVE_KINDS as readonly string[]).includes(m.kind)).map(toMove);
}

export async function loadLadder(tx: Tx, emergencyId: string) {
  const emergency = await tx.emergency.findUnique({
    where: { id: emergencyId },
    include: {
      system: true,
      moves: { orderBy: { at: "asc" } },
      responders: true,
      sessions: true,
      disputes: true,
      patches: { select: { authorId: true } },
    },
  });
  if (!emergency) throw new AppError("NOT_FOUND", "No such emergency.");
  const ladder: TLadder = replay(ladderMoves(emergency.moves), {
    declaredById: emergency.declaredById,
    testsRequired: emergency.system.testsRequired,
  });
  return { emergency, ladder };
}

/** Everyone who took part: they may not rule on its disputes (E7). */
export function participantsOf(e: Awaited<ReturnType<typeof loadLadder>>["emergency"]): string[] {
  return [
    e.declaredById,
    ...e.responders.map((r) => r.userId),
    ...e.moves.map((m) => m.actorId),
    ...e.sessions.flatMap((s) => [s.granteeId, s.watcherId]),
    ...e.patches.map((p) => p.authorId),
  ];
}

/** A ladder refusal as the typed error callers match on (CONFLICT, or FORBIDDEN for the wrong role), naming the rule. */
export function asAppError(e: unknown): unknown {
  if (!(e instanceof LadderRefusal)) return e;
  return new AppError(e.rule === "ROLE" ? "FORBIDDEN" : "CONFLICT", e.message, { rule: e.rule });
}

/** Option 1's patch: the one the last `option1-patch` move names (data.patchId). */
export function fastPathPatchId(moves: readonly TMoveRow[]): string | undefined {
  const m = moves.findLast((x) => x.kind === "option1-patch");
  const id = (m?.data as { patchId?: unknown } | null)?.patchId;
  return typeof id === "string" ? id : undefined;
}

/** A false alarm is closed before option 1's patch goes to deployment: after that, it was an emergency. */
export function assertMayClose(fastPath: { number: number; state: string } | null) {
  if (fastPath && ["DEPLOYING", "DEPLOYED"].includes(fastPath.state))
    throw new AppError(
      "CONFLICT",
      `Option 1's patch #${fastPath.number} is being deployed: this emergency ends when it is installed, not as a false alarm.`,
      { rule: "E3" },
    );
}

/** Option 1's patch with its current revision, or null before it is prepared. */
export async function loadFastPathPatch(tx: Pick<Tx, "patch">, moves: readonly TMoveRow[]) {
  const id = fastPathPatchId(moves);
  if (!id) return null;
  const patch = await tx.patch.findUniqueOrThrow({
    where: { id },
    include: { revisions: { select: { number: true, diffSha256: true } } },
  });
  const revision = patch.revisions.find((r) => r.number === patch.currentRevision)!;
  return { ...patch, revision };
}
