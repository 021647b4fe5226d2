"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActor } from "../auth/require-actor";
import { AppError } from "../errors";
import { issueStatement, ZIssueStatement } from "../server/statements/issue-statement";
import { ZSignedStatement } from "../server/patches/record-signoff";
import { recordPatchStatement } from "../server/statements/record-patch-statement";
import { addRevision, ZAddRevision } from "../server/patches/add-revision";
import { toActionResult, type TActionResult } from "./action-result";

// Public endpoints: each asks who is calling before it reads the input, and
// leaves authorization to the use-case.

export async function issueStatementAction(
  input: z.input<typeof ZIssueStatement>,
): Promise<TActionResult<{ statement: string; keyFingerprint: string }>> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const f = ZIssueStatement.parse(input);
    const { statement, keyFingerprint } = await issueStatement({ actor, ...f });
    return { statement, keyFingerprint };
  });
}

/** A signed statement: presence at a signing-server visit, or a patch sign-off. */
export async function recordSignoffAction(
  input: z.input<typeof ZSignedStatement>,
): Promise<TActionResult<{ kind: string }>> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const f = ZSignedStatement.parse(input);
    const { kind } = await recordPatchStatement({ actor, ...f });
    return { kind };
  }, "Signed and recorded.");
}

/** A new revision of a patch (the same checks as a new upload); older sign-offs stop counting. */
export async function addRevisionAction(
  _prev: TActionResult<{ revision: number }>,
  form: FormData,
): Promise<TActionResult<{ revision: number }>> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const patchId = ZAddRevision.shape.patchId.parse(form.get("patchId"));
    const file = form.get("diff");
    if (!(file instanceof File) || file.size === 0)
      throw new AppError("VALIDATION", "Choose the diff file of the new revision.");
    const done = await addRevision({
      actor,
      patchId,
      diff: new Uint8Array(await file.arrayBuffer()),
    });
    revalidatePath(`/patches/${patchId}`);
    return { revision: done.revision };
  }, "New revision uploaded: sign its submission to open the review gate again.");
}
