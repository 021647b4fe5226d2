import "server-only";
import { z } from "zod";
import { cleanId, cleanText } from "../../domain/input-hygiene";
import type { Tx } from "../../db";
import type { TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { assertMayDeploy } from "../../domain/deploy-separation";
import { assertPresentAdmin } from "../../domain/present-admin";
import { appendAuditEvent } from "../audit/append-event";
import type { TOpenDeployment } from "./deployment-facts";

export const ZDecideStep = z.object({
  patchId: cleanId(),
  number: z.coerce.number().int().min(3).max(7),
  applicable: z.boolean({ error: "Choose whether the step applies." }),
  reason: cleanText().trim().min(3, "Give the reason").max(1000),
});

/**
 * P6: on the signing server a critical admin present at the visit decides,
 * with a reason, whether each of steps 3–7 applies. Checked when the
 * statement is issued and again, under the patch lock, when it is recorded.
 */
export function checkDecision(
  d: TOpenDeployment,
  person: TPersonActor,
  number: number,
): TOpenDeployment["record"]["steps"][number] {
  const { record, facts } = d;
  if (record.state !== "OPEN") throw new AppError("FORBIDDEN", "The deployment is not open.");
  assertMayDeploy(facts, person.id);
  assertPresentAdmin(record, person.id);
  const step = record.steps.find((s) => s.number === number);
  if (!step || step.applicability !== "SITUATIONAL")
    throw new AppError("FORBIDDEN", `Step ${number} is not decided case by case on this system.`);
  // A decision is final: changing it later could skip the apply step after the
  // visit went ahead, and would leave the patch state and worker steps unsynced.
  if (step.applicabilityReason !== null)
    throw new AppError("CONFLICT", `Step ${number} was already decided; the decision is final.`);
  if (step.status !== "PENDING")
    throw new AppError("CONFLICT", `Step ${number} was already recorded.`);
  return step;
}

/** Records a checked decision and its signed statement, in the caller's transaction. */
export async function applyDecision(
  tx: Tx,
  person: TPersonActor,
  d: TOpenDeployment,
  decision: { number: number; applicable: boolean; reason: string },
  signed: { id: string; fingerprint: string },
) {
  const step = checkDecision(d, person, decision.number);
  const { count } = await tx.deploymentStep.updateMany({
    where: { id: step.id, status: "PENDING", applicabilityReason: null },
    data: {
      applicable: decision.applicable,
      applicabilityReason: decision.reason,
      status: decision.applicable ? "PENDING" : "NOT_APPLICABLE",
      decisionStatementId: signed.id,
    },
  });
  if (count === 0)
    throw new AppError(
      "CONFLICT",
      `Step ${decision.number} was decided by someone else just now; the decision is final.`,
    );
  await appendAuditEvent(tx, {
    actor: person,
    action: "deployment.applicability",
    subjectType: "deployment",
    subjectId: d.record.id,
    payload: {
      patchId: d.record.patchId,
      number: decision.number,
      applicable: decision.applicable,
      reason: decision.reason,
      statementId: signed.id,
      fingerprint: signed.fingerprint,
    },
  });
  return { number: decision.number, applicable: decision.applicable, reason: decision.reason };
}
