import "server-only";
import type { Tx } from "../../db";
import { AppError } from "../../errors";
import { visitQuorum, type TVisitFact } from "../../domain/procedures";
import { loadPatch, lockPatch } from "../patches/patch-facts";
import { toStepFact } from "./step-facts";

/** The open deployment of a patch's current revision, locked through its patch, with the patch's facts. */
export async function loadOpenDeployment(tx: Tx, patchId: string) {
  await lockPatch(tx, patchId);
  const { patch, facts } = await loadPatch(tx, patchId);
  const record = await tx.deploymentRecord.findFirst({
    where: { patchId, revision: { number: patch.currentRevision } },
    orderBy: { openedAt: "desc" },
    include: { steps: { orderBy: { number: "asc" } }, presence: true, revision: true },
  });
  if (!record) throw new AppError("NOT_FOUND", "This patch has no deployment record yet.");
  const visit = visitQuorum(
    record.presence.map((p) => ({ userId: p.userId, role: p.role as TVisitFact["role"] })),
  );
  return { patch, facts, record, steps: record.steps.map(toStepFact), visit };
}

export type TOpenDeployment = Awaited<ReturnType<typeof loadOpenDeployment>>;
