import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { applicability, STEPS } from "../../domain/procedures";
import { assertMayDeploy } from "../../domain/deploy-separation";
import { appendAuditEvent } from "../audit/append-event";
import { loadPatch, lockPatch, syncPatchState } from "../patches/patch-facts";

export const ZOpenDeployment = z.object({ patchId: cleanId() });

/**
 * A critical admin takes a requested patch from the queue and opens its
 * deployment record (P4); never one who wrote, uploaded, reviewed, tested or
 * requested it (X3).
 */
export async function openDeployment({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZOpenDeployment>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const { patchId } = ZOpenDeployment.parse(input);
  return db.$transaction(async (tx: Tx) => {
    await lockPatch(tx, patchId);
    const { patch, revision, facts } = await loadPatch(tx, patchId);
    if (patch.state !== "REQUESTED") {
      throw new AppError(
        patch.state === "DEPLOYING" ? "CONFLICT" : "FORBIDDEN",
        `Only a requested patch can be deployed; this one is ${patch.state.toLowerCase()}.`,
      );
    }
    assertMayDeploy(facts, person.id);
    const procedure = patch.system.procedure;
    const record = await tx.deploymentRecord.create({
      data: {
        patchId,
        revisionId: revision.id,
        procedure,
        openedById: person.id,
        steps: {
          create: STEPS.map((s) => {
            const a = applicability(procedure, s.number);
            return {
              number: s.number,
              key: s.key,
              title: s.title,
              applicability: a,
              applicable: a !== "NEVER",
              status: a === "NEVER" ? "NOT_APPLICABLE" : "PENDING",
              applicabilityReason:
                a === "NEVER" ? "Not part of the signing-server procedure." : null,
            };
          }),
        },
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "deployment.opened",
      subjectType: "deployment",
      subjectId: record.id,
      payload: { patchId, revision: revision.number, procedure },
    });
    await syncPatchState(tx, person, patchId);
    return record;
  });
}
