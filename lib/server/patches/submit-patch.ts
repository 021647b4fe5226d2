import { z } from "zod";
import { cleanLine, cleanText } from "../../domain/input-hygiene";
import "server-only";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { env } from "../../env";
import { sha256Hex } from "../../crypto/hash";
import { checkUnifiedDiff } from "../../domain/diff-check";
import { appendAuditEvent } from "../audit/append-event";

export const ZPatchFields = z.object({
  system: cleanLine().trim().min(1, "Choose a target system"),
  title: cleanLine().trim().min(3, "Title: at least 3 characters").max(200),
  summary: cleanText().trim().min(1, "Write a summary").max(10_000),
  bugId: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z#._-]{1,32}$/, "Bug number: letters, digits, # . _ - (up to 32)"),
  bugSummary: cleanLine().trim().min(1, "Give the bug's short description").max(300),
});

/** The checks every uploaded diff passes before anything is stored. */
export function acceptDiff(diff: Uint8Array) {
  const limit = env().MAX_DIFF_BYTES;
  if (diff.byteLength > limit)
    throw new AppError("PAYLOAD_TOO_LARGE", `The diff is larger than the limit of ${limit} bytes.`);
  const summary = checkUnifiedDiff(diff);
  return {
    sha256: sha256Hex(diff),
    fileCount: summary.files.length,
    sizeBytes: diff.byteLength,
  };
}

/** P1: a developer or assessor uploads a diff for a target system; the patch starts as a draft to be signed. */
export async function submitPatch({
  actor,
  diff,
  ...input
}: { actor: TActor; diff: Uint8Array } & z.input<typeof ZPatchFields>) {
  const person = requirePerson(actor);
  authorize(person, "patch:submit");
  const fields = ZPatchFields.parse(input);
  const checked = acceptDiff(diff);
  return db.$transaction(async (tx: Tx) => {
    const system = await tx.targetSystem.findUnique({ where: { slug: fields.system } });
    if (!system) throw new AppError("VALIDATION", `There is no target system "${fields.system}".`);
    const patch = await tx.patch.create({
      data: {
        systemId: system.id,
        title: fields.title,
        summary: fields.summary,
        bugId: fields.bugId,
        bugSummary: fields.bugSummary,
        authorId: person.id,
        currentRevision: 1,
        revisions: {
          create: {
            number: 1,
            diff: Buffer.from(diff),
            diffSha256: checked.sha256,
            sizeBytes: checked.sizeBytes,
            fileCount: checked.fileCount,
            uploadedById: person.id,
          },
        },
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "patch.created",
      subjectType: "patch",
      subjectId: patch.id,
      payload: {
        number: patch.number,
        system: system.slug,
        title: patch.title,
        bugId: patch.bugId,
        diffSha256: checked.sha256,
      },
    });
    return {
      id: patch.id,
      number: patch.number,
      revision: 1,
      diffSha256: checked.sha256,
      state: patch.state,
    };
  });
}
