import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";
import { loadOpenDeployment } from "./deployment-facts";

export const ZDecideStep = z.object({
  patchId: z.string().min(1),
  number: z.coerce.number().int().min(3).max(7),
  applicable: z.boolean(),
  reason: z.string().trim().min(3, "Give the reason").max(1000),
});

/** P6: on the signing server a critical admin decides, with a reason, whether each of steps 3–7 applies. */
export async function decideStep({ actor, ...input }: { actor: TActor } & z.input<typeof ZDecideStep>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const d = ZDecideStep.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const { record } = await loadOpenDeployment(tx, d.patchId);
    if (record.state !== "OPEN") throw new AppError("FORBIDDEN", "The deployment is not open.");
    const step = record.steps.find((s) => s.number === d.number)!;
    if (step.applicability !== "SITUATIONAL") throw new AppError("FORBIDDEN", `Step ${d.number} is not decided case by case on this system.`);
    if (step.status !== "PENDING") throw new AppError("CONFLICT", `Step ${d.number} was already recorded.`);
    await tx.deploymentStep.update({
      where: { id: step.id },
      data: { applicable: d.applicable, applicabilityReason: d.reason, status: d.applicable ? "PENDING" : "NOT_APPLICABLE" },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "deployment.applicability",
      subjectType: "deployment",
      subjectId: record.id,
      payload: { patchId: d.patchId, number: d.number, applicable: d.applicable, reason: d.reason },
    });
  });
}
