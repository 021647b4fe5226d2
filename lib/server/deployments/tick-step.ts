import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { assertMayTick, sha256sumLine } from "../../domain/procedures";
import { isHandStep, ZStepEvidence } from "../../domain/step-evidence";
import { derivePatchState } from "../../domain/patch-state";
import { assertPresentAdmin } from "../../domain/present-admin";
import { writeOutbox } from "../../jobs/outbox";
import { appendAuditEvent } from "../audit/append-event";
import { loadPatch, syncPatchState } from "../patches/patch-facts";
import { loadOpenDeployment } from "./deployment-facts";

export const ZTickStep = z.object({
  patchId: z.string().min(1),
  number: z.coerce.number().int().min(1).max(13),
  evidence: z.record(z.string(), z.unknown()).default({}),
});

/**
 * A critical admin ticks one step of the deployment record, in order, with its
 * evidence (P4). A failed apply stops the record and sends the patch back to
 * rework (P5). When the last hand step is done, the admin signs the notification
 * and only then are the worker steps queued (signNotification).
 */
export async function tickStep({ actor, ...input }: { actor: TActor } & z.input<typeof ZTickStep>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const { patchId, number, evidence } = ZTickStep.parse(input);

  return db.$transaction(async (tx: Tx) => {
    const { record, steps, visit } = await loadOpenDeployment(tx, patchId);
    assertMayTick(record.procedure, record.state, steps, number, visit.met);
    assertPresentAdmin(record, person.id);
    if (!isHandStep(number))
      throw new AppError("FORBIDDEN", `Step ${number} is performed by the worker.`);
    const recorded: Record<string, unknown> = { ...ZStepEvidence[number].parse(evidence) };

    const { patch, facts } = await loadPatch(tx, patchId);
    if (number === 1) {
      const request = patch.signoffs.find(
        (s) => s.kind === "REQUEST" && s.revisionId === record.revisionId,
      );
      const signed =
        request &&
        (await tx.signedStatement.findUnique({
          where: { id: request.statementId },
          include: { signer: { select: { name: true, email: true } } },
        }));
      recorded.request = signed
        ? {
            signer: signed.signer.name,
            email: signed.signer.email,
            fingerprint: signed.fingerprint,
            receivedAt: signed.receivedAt.toISOString(),
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
    if (number === 9) {
      const risk = record.steps.find((s) => s.number === 4)?.evidence as {
        webServerStopped?: boolean;
      } | null;
      if (risk?.webServerStopped && recorded.webServerRunning !== true) {
        throw new AppError(
          "VALIDATION",
          "You stopped the web server at step 4: start it again (sudo service apache2 start) and confirm it runs.",
        );
      }
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
      },
    });
    if (count === 0)
      throw new AppError("CONFLICT", `Step ${number} was recorded by someone else just now.`);
    await appendAuditEvent(tx, {
      actor: person,
      action: "deployment.step",
      subjectType: "deployment",
      subjectId: record.id,
      payload: { patchId, number, status: failed ? "FAILED" : "DONE" },
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
  });
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
