import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { assertDecision } from "../../domain/patch-state";
import { revisionDecision } from "../../domain/patch-decisions";
import { appendAuditEvent } from "../audit/append-event";
import { acceptDiff } from "./submit-patch";
import { loadPatch, lockPatch, syncPatchState } from "./patch-facts";

export const ZAddRevision = z.object({
  patchId: cleanId(),
  diff: z.custom<Uint8Array>((v) => v instanceof Uint8Array, "diff: the bytes of the file"),
});

/**
 * A new upload of the same patch becomes revision n+1: every sign-off of older
 * revisions stops counting, and the new revision starts as a draft.
 */
export async function addRevision({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZAddRevision>) {
  const person = requirePerson(actor);
  authorize(person, "patch:submit");
  const { patchId, diff } = ZAddRevision.parse(input);
  const checked = acceptDiff(diff);
  return db.$transaction(async (tx: Tx) => {
    await lockPatch(tx, patchId);
    const { patch, facts } = await loadPatch(tx, patchId);
    assertDecision(revisionDecision(facts, person));
    const number = patch.currentRevision + 1;
    await tx.patchRevision.create({
      data: {
        patchId,
        number,
        diff: Buffer.from(diff),
        diffSha256: checked.sha256,
        sizeBytes: checked.sizeBytes,
        fileCount: checked.fileCount,
        uploadedById: person.id,
      },
    });
    const { count } = await tx.patch.updateMany({
      where: { id: patchId, currentRevision: patch.currentRevision },
      data: { currentRevision: number },
    });
    if (count === 0)
      throw new AppError("CONFLICT", "Another revision was uploaded at the same time.");
    await appendAuditEvent(tx, {
      actor: person,
      action: "patch.revised",
      subjectType: "patch",
      subjectId: patchId,
      payload: { revision: number, diffSha256: checked.sha256 },
    });
    const state = await syncPatchState(tx, person, patchId);
    return { id: patchId, revision: number, diffSha256: checked.sha256, state };
  });
}
