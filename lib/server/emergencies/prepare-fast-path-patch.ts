import "server-only";
import type { Tx } from "../../db";
import type { TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { acceptDiff } from "../patches/submit-patch";
import { appendAuditEvent } from "../audit/append-event";

/**
 * E3: option 1 runs on a real patch record. The first `option1-patch` move
 * creates it (its author the preparer, its bug the one named or
 * `emergency-<number>`); each later one adds the next revision of the same
 * patch, uploaded by whoever prepared it. Same diff checks and audit events as
 * a normal upload or revision. Its state is synced by the caller once the move
 * is recorded (the move is its submission).
 */
export async function prepareFastPathPatch(
  tx: Tx,
  person: TPersonActor,
  e: { id: string; number: number; title: string; systemId: string; systemSlug: string },
  existing: { id: string; currentRevision: number } | null,
  input: { diff: Uint8Array; bugId?: string; bugSummary?: string },
): Promise<{ id: string; number: number; revision: number }> {
  const checked = acceptDiff(input.diff);
  const revisionRow = (number: number) => ({
    number,
    diff: Buffer.from(input.diff),
    diffSha256: checked.sha256,
    sizeBytes: checked.sizeBytes,
    fileCount: checked.fileCount,
    uploadedById: person.id,
  });
  if (!existing) {
    const patch = await tx.patch.create({
      data: {
        systemId: e.systemId,
        title: `Emergency #${e.number}: ${e.title}`.slice(0, 200),
        summary: `Option 1 (the fast path) of emergency #${e.number}: its gates are signed on the emergency's page, in order, and it is deployed through its deployment record.`,
        bugId: input.bugId ?? `emergency-${e.number}`,
        bugSummary: (input.bugSummary ?? e.title).slice(0, 300),
        authorId: person.id,
        emergencyId: e.id,
        currentRevision: 1,
        revisions: { create: revisionRow(1) },
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "patch.created",
      subjectType: "patch",
      subjectId: patch.id,
      payload: {
        number: patch.number,
        system: e.systemSlug,
        title: patch.title,
        bugId: patch.bugId,
        diffSha256: checked.sha256,
      },
    });
    return { id: patch.id, number: patch.number, revision: 1 };
  }
  const number = existing.currentRevision + 1;
  await tx.patchRevision.create({ data: { patchId: existing.id, ...revisionRow(number) } });
  const { count } = await tx.patch.updateMany({
    where: { id: existing.id, currentRevision: existing.currentRevision },
    data: { currentRevision: number },
  });
  if (count === 0)
    throw new AppError("CONFLICT", "Another revision was uploaded at the same time.");
  await appendAuditEvent(tx, {
    actor: person,
    action: "patch.revised",
    subjectType: "patch",
    subjectId: existing.id,
    payload: { revision: number, diffSha256: checked.sha256 },
  });
  const patch = await tx.patch.findUniqueOrThrow({ where: { id: existing.id } });
  return { id: patch.id, number: patch.number, revision: number };
}
