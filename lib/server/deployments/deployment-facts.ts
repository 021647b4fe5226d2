import "server-only";
import type { Tx } from "../../db";
import { AppError } from "../../errors";
import { visitQuorum, type TVisitFact } from "../../domain/procedures";
import { lockPatch } from "../patches/patch-facts";
import { toStepFact } from "./step-facts";

/** The open deployment of a patch's current revision, locked through its patch. */
export async function loadOpenDeployment(tx: Tx, patchId: string) {
  await lockPatch(tx, patchId);
  const patch = await tx.patch.findUniqueOrThrow({
    where: { id: patchId },
    include: { system: true },
  });
  const record = await tx.deploymentRecord.findFirst({
    where: { patchId, revision: { number: patch.currentRevision } },
    orderBy: { openedAt: "desc" },
    include: { steps: { orderBy: { number: "asc" } }, presence: true, revision: true },
  });
  if (!record) throw new AppError("NOT_FOUND", "This patch has no deployment record yet.");
  const visit = visitQuorum(
    record.presence.map((p) => ({ userId: p.userId, role: p.role as TVisitFact["role"] })),
  );
  return { patch, record, steps: record.steps.map(toStepFact), visit };
}
