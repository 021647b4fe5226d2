import "server-only";
import type { Tx } from "../../db";
import type { TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { assertMayTick, restartStep, sha256sumLine } from "../../domain/procedures";
import { checkStepEvidence, isHandStep } from "../../domain/step-evidence";
import { assertMayDeploy } from "../../domain/deploy-separation";
import { derivePatchState } from "../../domain/patch-state";
import { assertPresentAdmin } from "../../domain/present-admin";
import { writeOutbox } from "../../jobs/outbox";
import { appendAuditEvent } from "../audit/append-event";
import { loadPatch, syncPatchState } from "../patches/patch-facts";
import type { TOpenDeployment } from "./deployment-facts";

/**
 * Whether this critical admin may tick step `number` now with this evidence:
 * separation (X3), order and the visit (P4, P6), and the evidence's own rules
 * (P5). Returns the evidence as it is signed. Checked when the statement is
 * issued and again, under the patch lock, when it is recorded.
 */
export function checkTick(
  d: TOpenDeployment,
  person: TPersonActor,
  number: number,
  evidence: unknown,
): Record<string, unknown> {
  const { record, steps, visit, facts } = d;
  assertMayDeploy(facts, person.id);
  assertMayTick(record.procedure, record.state, steps, number, visit.met);
  assertPresentAdmin(record, person.id);
  if (!isHandStep(number))
    throw new AppError("FORBIDDEN", `Step ${number} is performed by the worker.`);
  const risk = record.steps.find((s) => s.number === 4);
  return checkStepEvidence(number, evidence, {
    procedure: record.procedure,
    serviceStopped:
      risk?.status === "DONE" &&
      (risk.evidence as { webServerStopped?: boolean } | null)?.webServerStopped === true,
    restartStep: restartStep(steps),
  });
}

/**
 * Records a checked, signed tick (P4): the step's evidence is the signed
 * evidence plus what the server read to show the admin (the request's signer,
 * the gates, the diff's checksum). A failed apply stops the record and sends
 * the patch back to rework (P5). When the last hand step is done, the admin
 * signs the notification, and only then are the worker steps queued
 * (sign-notification.ts, P7).
 */
export async function applyTick(
  tx: Tx,
  person: TPersonActor,
  d: TOpenDeployment,
  number: number,
  evidence: Record<string, unknown>,
  signed: { id: string; fingerprint: string },
) {
  const { record } = d;
  const patchId = record.patchId;
  const recorded: Record<string, unknown> = { ...evidence };
  const { patch, facts, fastPath } = await loadPatch(tx, patchId);
  if (number === 1) {
    const request = patch.signoffs.find(
      (s) => s.kind === "REQUEST" && s.revisionId === record.revisionId,
    );
    // Option 1's patch (E3): the request is the 2nd assessor review, signed on the emergency.
    const forwarded =
      !request && fastPath
        ? await tx.emergencyMove.findFirst({
            where: {
              emergencyId: fastPath.emergencyId,
              kind: "gate",
              AND: [
                { data: { path: ["gate"], equals: "review-2" } },
                { data: { path: ["sha256"], equals: record.revision.diffSha256 } },
              ],
            },
            orderBy: { at: "desc" },
            select: { statementId: true },
          })
        : null;
    const statementId = request?.statementId ?? forwarded?.statementId;
    const req =
      statementId &&
      (await tx.signedStatement.findUnique({
        where: { id: statementId },
        include: { signer: { select: { name: true, email: true } } },
      }));
    recorded.request = req
      ? {
          signer: req.signer.name,
          email: req.signer.email,
          fingerprint: req.fingerprint,
          receivedAt: req.receivedAt.toISOString(),
        }
      : null;
  }
  if (number === 2) {
    const { gates } = derivePatchState(facts);
    recorded.gates = {
      reviews: { have: gates.reviews.have, need: gates.reviews.need },
      tests: { have: gates.tests.have, need: gates.tests.need },
    };
  }
  if (number === 3) {
    recorded.sha256 = record.revision.diffSha256;
    recorded.sha256sum = sha256sumLine(record.revision.diffSha256, "/tmp/patch-script.diff");
  }
  const failed = number === 5 && recorded.result === "failed";
  const step = record.steps.find((s) => s.number === number)!;
  const { count } = await tx.deploymentStep.updateMany({
    where: { id: step.id, status: "PENDING" },
    data: {
      status: failed ? "FAILED" : "DONE",
      doneById: person.id,
      doneAt: new Date(),
      evidence: recorded as object,
      statementId: signed.id,
    },
  });
  if (count === 0)
    throw new AppError("CONFLICT", `Step ${number} was recorded by someone else just now.`);
  await appendAuditEvent(tx, {
    actor: person,
    action: "deployment.step",
    subjectType: "deployment",
    subjectId: record.id,
    payload: {
      patchId,
      number,
      status: failed ? "FAILED" : "DONE",
      statementId: signed.id,
      fingerprint: signed.fingerprint,
    },
  });
  if (failed) {
    await setRecordState(tx, person, record.id, patchId, "FAILED");
    await writeOutbox(
      tx,
      "patch.apply-failed",
      { deploymentId: record.id },
      `patch.apply-failed:${record.id}`,
    );
  }
  // The worker steps are queued once the admin signs the notification (sign-notification.ts, P7).
  const state = await syncPatchState(tx, person, patchId);
  return { number, status: failed ? "FAILED" : "DONE", evidence: recorded, state };
}

async function setRecordState(
  tx: Tx,
  actor: { id: string; label: string },
  recordId: string,
  patchId: string,
  to: "FAILED" | "COMPLETED",
) {
  const { count } = await tx.deploymentRecord.updateMany({
    where: { id: recordId, state: "OPEN" },
    data: { state: to, closedAt: new Date() },
  });
  if (count === 0)
    throw new AppError("CONFLICT", "The deployment record changed at the same time.");
  await appendAuditEvent(tx, {
    actor,
    action: "deployment.state",
    subjectType: "deployment",
    subjectId: recordId,
    payload: { patchId, from: "OPEN", to },
  });
}
