import "server-only";
import type { Tx } from "../../db";
import { AppError } from "../../errors";
import { derivePatchState, type TPatchState } from "../../domain/patch-state";
import { buildPatchFacts } from "../../domain/patch-facts";
import { appendAuditEvent, type TAuditActor } from "../audit/append-event";
import { fastPathOf } from "./fast-path";
import { recordFastPathDeployed } from "../emergencies/fast-path-deployed";

/** Everything the pure rules need about a patch, read inside the caller's transaction. */
export async function loadPatch(tx: Tx, patchId: string) {
  const patch = await tx.patch.findUnique({
    where: { id: patchId },
    include: {
      system: true,
      revisions: {
        orderBy: { number: "asc" },
        select: {
          id: true,
          number: true,
          diffSha256: true,
          uploadedById: true,
          sizeBytes: true,
          fileCount: true,
          createdAt: true,
        },
      },
      signoffs: {
        include: { revision: { select: { number: true } } },
        orderBy: { createdAt: "asc" },
      },
      deployments: {
        orderBy: { openedAt: "desc" },
        include: { steps: { orderBy: { number: "asc" } } },
      },
    },
  });
  if (!patch) throw new AppError("NOT_FOUND", "No such patch.");
  const revision = patch.revisions.find((r) => r.number === patch.currentRevision)!;
  const deployment = patch.deployments.find((d) => d.revisionId === revision.id) ?? null;
  // Option 1's patch (E3): its gates, signed on the emergency, stand for its sign-offs.
  const fastPath = await fastPathOf(tx, patch, patch.revisions);
  const facts = buildPatchFacts({
    authorId: patch.authorId,
    revision: revision.number,
    revisions: patch.revisions,
    policy: patch.system,
    signoffs: [
      ...patch.signoffs.map((s) => ({ ...s, revision: s.revision.number })),
      ...(fastPath?.signoffs ?? []),
    ],
    deployment,
    withdrawn: patch.withdrawalId !== null,
    ...(fastPath ? { fastPath: { emergencyNumber: fastPath.emergencyNumber } } : {}),
  });
  return { patch, revision, deployment, facts, fastPath };
}

/**
 * Writes the state the rules derive from the facts, with a guard on the state
 * read earlier in this transaction: a concurrent change makes this a conflict.
 */
export async function syncPatchState(
  tx: Tx,
  actor: TAuditActor,
  patchId: string,
): Promise<TPatchState> {
  const { patch, revision, deployment, facts, fastPath } = await loadPatch(tx, patchId);
  const next = derivePatchState(facts).state;
  if (next === patch.state) return next;
  const { count } = await tx.patch.updateMany({
    where: { id: patchId, state: patch.state },
    data: { state: next },
  });
  if (count === 0)
    throw new AppError("CONFLICT", "The patch changed while this was being recorded; try again.");
  await appendAuditEvent(tx, {
    actor,
    action: "patch.state",
    subjectType: "patch",
    subjectId: patchId,
    payload: { from: patch.state, to: next },
  });
  // Option 1's deploy gate is the deployment record that installed the patch (E3).
  if (next === "DEPLOYED" && fastPath && deployment)
    await recordFastPathDeployed(tx, actor, {
      emergencyId: fastPath.emergencyId,
      patchId,
      deploymentId: deployment.id,
      openedById: deployment.openedById,
      sha256: revision.diffSha256,
    });
  return next;
}

/** Serialises every change to one patch: the row lock is held until commit. */
export async function lockPatch(tx: Tx, patchId: string): Promise<void> {
  const n = await tx.$executeRaw`SELECT 1 FROM "Patch" WHERE id = ${patchId} FOR UPDATE`;
  if (n === 0) throw new AppError("NOT_FOUND", "No such patch.");
}
