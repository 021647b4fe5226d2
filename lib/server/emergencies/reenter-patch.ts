import "server-only";
import type { Tx } from "../../db";
import type { TPersonActor } from "../../auth/actor";
import { acceptDiff } from "../patches/submit-patch";
import { appendAuditEvent } from "../audit/append-event";

/**
 * E4/E5: the emergency patch re-enters the normal cycle as a NEW patch record,
 * a draft like any upload (same diff checks, same "patch.created" audit), that
 * must pass the normal gates. Its author is the assessor who made it; it
 * carries the emergency's id.
 */
export async function reenterPatch(
  tx: Tx,
  actor: TPersonActor,
  e: { id: string; number: number; title: string; systemId: string; systemSlug: string },
  authorId: string,
  diff: Uint8Array,
  documentation: string,
  option: 2 | 3,
) {
  const checked = acceptDiff(diff);
  const patch = await tx.patch.create({
    data: {
      systemId: e.systemId,
      title: `Emergency #${e.number}: ${e.title}`.slice(0, 200),
      summary:
        `Deployed under emergency #${e.number} (option ${option}) and now entered into the normal update cycle.\n\n${documentation}`.slice(
          0,
          10_000,
        ),
      bugId: `emergency-${e.number}`,
      bugSummary: e.title.slice(0, 300),
      authorId,
      emergencyId: e.id,
      currentRevision: 1,
      revisions: {
        create: {
          number: 1,
          diff: Buffer.from(diff),
          diffSha256: checked.sha256,
          sizeBytes: checked.sizeBytes,
          fileCount: checked.fileCount,
          uploadedById: authorId,
        },
      },
    },
  });
  await appendAuditEvent(tx, {
    actor,
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
  return patch;
}
