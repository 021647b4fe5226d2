import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { can } from "../../domain/permissions";
import { appendAuditEvent } from "../audit/append-event";
import { acceptDiff } from "./submit-patch";
import { lockPatch, syncPatchState } from "./patch-facts";

const REVISABLE = ["DRAFT", "IN_REVIEW", "IN_TEST", "BLOCKED", "READY", "REWORK"];

export const ZAddRevision = z.object({
  patchId: z.string().min(1),
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
    const patch = await tx.patch.findUniqueOrThrow({ where: { id: patchId } });
    if (patch.authorId !== person.id && !can(person.roles, "patch:review")) {
      throw new AppError(
        "FORBIDDEN",
        "Only the patch's author or an assessor uploads a new revision.",
      );
    }
    if (!REVISABLE.includes(patch.state))
      throw new AppError(
        "FORBIDDEN",
        `The patch is ${patch.state.toLowerCase()}; it takes no new revision.`,
      );
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
