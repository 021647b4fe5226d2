import "server-only";
import type { Tx } from "../../db";
import { AppError } from "../../errors";
import { appendAuditEvent, type TAuditActor } from "../audit/append-event";
import { checkMove, type TMove } from "../../domain/emergency-ladder";
import { loadLadder, lockEmergency } from "./emergency-facts";

/**
 * E3: option 1's last gate is not a statement of its own but the patch's
 * deployment record. When the record installs the fast-path patch, the deploy
 * gate is recorded (by the critical admin whose action installed it, else the
 * one who opened the record) and the emergency is resolved, in the caller's
 * transaction. A ladder that no longer accepts it (closed, or moved on to
 * option 2) records nothing: the patch stays deployed as any patch would.
 */
export async function recordFastPathDeployed(
  tx: Tx,
  actor: TAuditActor,
  d: {
    emergencyId: string;
    patchId: string;
    deploymentId: string;
    openedById: string;
    sha256: string;
  },
): Promise<boolean> {
  await lockEmergency(tx, d.emergencyId);
  const { ladder } = await loadLadder(tx, d.emergencyId);
  const move: TMove = {
    kind: "gate",
    gate: "deploy",
    actorId: actor.id ?? d.openedById,
    sha256: d.sha256,
    deploymentId: d.deploymentId,
  };
  const c = checkMove(ladder, move, ["CRITICAL_ADMIN"]);
  if (!c.ok) return false;
  const now = new Date();
  await tx.emergencyMove.create({
    data: {
      emergencyId: d.emergencyId,
      kind: "gate",
      actorId: move.actorId,
      statementId: null,
      at: now,
      data: { gate: "deploy", sha256: d.sha256, deploymentId: d.deploymentId, patchId: d.patchId },
    },
  });
  const { count } = await tx.emergency.updateMany({
    where: { id: d.emergencyId, state: ladder.state },
    data: { state: c.to, resolvedAt: c.to === "RESOLVED" ? now : undefined },
  });
  if (count === 0)
    throw new AppError("CONFLICT", "The emergency changed meanwhile; reload and try again.");
  await appendAuditEvent(tx, {
    actor,
    action: "emergency.fast-path-deployed",
    subjectType: "emergency",
    subjectId: d.emergencyId,
    payload: { patchId: d.patchId, deploymentId: d.deploymentId, sha256: d.sha256 },
  });
  return true;
}
