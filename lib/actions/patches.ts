"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActor } from "../auth/require-actor";
import { AppError } from "../errors";
import { parseStatement, type TStatementKind } from "../domain/statements";
import { issueStatement } from "../server/statements/issue-statement";
import { recordSignoff } from "../server/patches/record-signoff";
import { recordPresence } from "../server/deployments/record-presence";
import { addRevision } from "../server/patches/add-revision";
import { toActionResult, type TActionResult } from "./action-result";

// Public endpoints: each parses its input and leaves authorization to the use-case.

const ZIssueInput = z.object({
  patchId: z.string().min(1).max(64),
  kind: z.string().min(1).max(16),
  verdict: z.string().max(16).optional(),
  comment: z.string().max(4000).optional(),
  keyFingerprint: z.string().max(64).optional(),
});

export async function issueStatementAction(
  input: z.input<typeof ZIssueInput>,
): Promise<TActionResult<{ statement: string; keyFingerprint: string }>> {
  return toActionResult(async () => {
    const f = ZIssueInput.parse(input);
    const { statement, keyFingerprint } = await issueStatement({
      actor: await requireActor(),
      ...f,
      kind: f.kind as TStatementKind,
      comment: f.comment ?? "",
    });
    return { statement, keyFingerprint };
  });
}

const ZSignoffInput = z.object({
  statement: z.string().min(1).max(20_000),
  signature: z.string().min(1).max(16_384),
});

/** A signed statement: presence at a signing-server visit, or a patch sign-off. */
export async function recordSignoffAction(
  input: z.input<typeof ZSignoffInput>,
): Promise<TActionResult<{ kind: string }>> {
  return toActionResult(async () => {
    const f = ZSignoffInput.parse(input);
    const actor = await requireActor();
    if (parseStatement(f.statement)?.kind === "presence") {
      await recordPresence({ actor, ...f });
      return { kind: "presence" };
    }
    const done = await recordSignoff({ actor, ...f });
    return { kind: done.kind.toLowerCase() };
  }, "Signed and recorded.");
}

/** A new revision of a patch (the same checks as a new upload); older sign-offs stop counting. */
export async function addRevisionAction(
  _prev: TActionResult<{ revision: number }>,
  form: FormData,
): Promise<TActionResult<{ revision: number }>> {
  return toActionResult(async () => {
    const patchId = z.string().min(1).max(64).parse(form.get("patchId"));
    const file = form.get("diff");
    if (!(file instanceof File) || file.size === 0)
      throw new AppError("VALIDATION", "Choose the diff file of the new revision.");
    const done = await addRevision({
      actor: await requireActor(),
      patchId,
      diff: new Uint8Array(await file.arrayBuffer()),
    });
    revalidatePath(`/patches/${patchId}`);
    return { revision: done.revision };
  }, "New revision uploaded: sign its submission to open the review gate again.");
}
