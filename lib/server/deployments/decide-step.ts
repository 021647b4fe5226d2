import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { assertPresentAdmin } from "../../domain/present-admin";
import { appendAuditEvent } from "../audit/append-event";
import { loadOpenDeployment } from "./deployment-facts";

export const ZDecideStep = z.object({
  patchId: z.string().min(1),
  number: z.coerce.number().int().min(3).max(7),
  applicable: z.boolean(),
  reason: z.string().trim().min(3, "Give the reason").max(1000),
});

/** P6: on the signing server a critical admin decides, with a reason, whether each of steps 3–7 applies. */
export async function decideStep({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZDecideStep>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const d = ZDecideStep.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const { record } = await loadOpenDeployment(tx, d.patchId);
    if (record.state !== "OPEN") throw new AppError("FORBIDDEN", "The deployment is not open.");
    assertPresentAdmin(record, person.id);
    const step = record.steps.find((s) => s.number === d.number)!;
    if (step.applicability !== "SITUATIONAL")
      throw new AppError(
        "FORBIDDEN",
        `Step ${d.number} is not decided case by case on this system.`,
      );
    // A decision is final: changing it later could skip the apply step after the
    // visit went ahead, and would leave the patch state and worker steps unsynced.
    if (step.applicabilityReason !== null)
      throw new AppError(
        "CONFLICT",
        `Step ${d.number} was already decided; the decision is final.`,
      );
    if (step.status !== "PENDING")
      throw new AppError("CONFLICT", `Step ${d.number} was already recorded.`);
    const { count } = await tx.deploymentStep.updateMany({
      where: { id: step.id, status: "PENDING", applicabilityReason: null },
      data: {
        applicable: d.applicable,
        applicabilityReason: d.reason,
        status: d.applicable ? "PENDING" : "NOT_APPLICABLE",
      },
    });
    if (count === 0)
      throw new AppError(
        "CONFLICT",
        `Step ${d.number} was decided by someone else just now; the decision is final.`,
      );
    await appendAuditEvent(tx, {
      actor: person,
      action: "deployment.applicability",
      subjectType: "deployment",
      subjectId: record.id,
      payload: { patchId: d.patchId, number: d.number, applicable: d.applicable, reason: d.reason },
    });
  });
}
