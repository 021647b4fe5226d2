import "server-only";
import type { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { evidenceText, isDecision, readStepStatement } from "../../domain/step-statement";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { ZSignedStatement } from "../patches/record-signoff";
import { loadOpenDeployment } from "./deployment-facts";
import { applyTick, checkTick } from "./tick-step";
import { applyDecision, ZDecideStep } from "./decide-step";

/**
 * A signed `step` statement (X1): a tick of a hand step with its evidence, or
 * a signing-server decision on steps 3–7. The signature is checked first; then,
 * under the patch lock, the statement must still name this deployment, its
 * revision and diff, and every rule the statement was issued under must still
 * hold. The statement, the step and the audit event are written together.
 */
export async function recordStepStatement({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZSignedStatement>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const { statement, signature } = ZSignedStatement.parse(input);
  const v = await verifySubmission(person, statement, signature);
  const step = v.nonce.kind === "step" ? readStepStatement(v.parsed) : null;
  if (!step) throw new AppError("VALIDATION", "This is not a deployment step statement.");

  return db.$transaction(async (tx: Tx) => {
    const d = await loadOpenDeployment(tx, v.nonce.subjectId);
    if (d.record.id !== step.deploymentId)
      throw new AppError("CONFLICT", "The statement is for another deployment of this patch.");
    if (
      Number(v.parsed.revision) !== d.record.revision.number ||
      v.parsed["diff-sha256"] !== d.record.revision.diffSha256
    )
      throw new AppError(
        "CONFLICT",
        "The statement's revision or diff hash is not the deployed one.",
      );
    if (isDecision(step.verdict)) {
      const decision = ZDecideStep.parse({
        patchId: d.record.patchId,
        number: step.number,
        applicable: step.evidence.applicable,
        reason: step.evidence.reason,
      });
      if (decision.applicable !== (step.verdict === "applies"))
        throw new AppError("VALIDATION", "The decision's verdict and evidence disagree.");
      const signed = await storeSignedStatement(tx, person, v, signature);
      return {
        type: "decision" as const,
        ...(await applyDecision(tx, person, d, decision, signed)),
      };
    }
    const evidence = checkTick(d, person, step.number, step.evidence);
    if (evidenceText(evidence) !== step.evidenceText)
      throw new AppError("VALIDATION", "The statement's evidence is not what the step records.");
    const signed = await storeSignedStatement(tx, person, v, signature);
    return {
      type: "tick" as const,
      ...(await applyTick(tx, person, d, step.number, evidence, signed)),
    };
  });
}
