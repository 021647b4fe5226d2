"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { cleanId } from "../domain/input-hygiene";
import { requireActor } from "../auth/require-actor";
import { addServer, type TAddServer } from "../server/hotfixes/servers";
import {
  issueHotfixStatement,
  recordHotfixSignoff,
  ZIssueHotfixStatement,
  ZRecordHotfixSignoff,
} from "../server/hotfixes/hotfix-statements";
import { deleteHotfix } from "../server/hotfixes/delete-hotfix";
import { formFields, parseForm, toActionResult, type TActionResult } from "./action-result";

// Public endpoints: each parses its input and leaves authorization to the use-case.

export async function addServerAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  return toActionResult(async () => {
    // addServer authorizes first, then parses the form's fields with its own schema.
    await addServer({ actor: await requireActor(), ...(formFields(form) as TAddServer) });
    revalidatePath("/servers");
    return undefined;
  }, "Server added.");
}

export async function issueHotfixStatementAction(
  input: z.input<typeof ZIssueHotfixStatement>,
): Promise<TActionResult<{ statement: string; keyFingerprint: string }>> {
  return toActionResult(async () => {
    const { statement, keyFingerprint } = await issueHotfixStatement({
      actor: await requireActor(),
      ...ZIssueHotfixStatement.parse(input),
    });
    return { statement, keyFingerprint };
  });
}

export async function recordHotfixSignoffAction(
  input: z.input<typeof ZRecordHotfixSignoff>,
): Promise<TActionResult> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const f = ZRecordHotfixSignoff.parse(input);
    // No revalidatePath: the signing dialog refreshes the page when it is closed, and a
    // refresh now would unmount it (the button it belongs to is gone once signed).
    await recordHotfixSignoff({ actor, ...f });
    return undefined;
  }, "Signed and recorded.");
}

const ZDeleteHotfix = z.object({ name: cleanId(200) });

export async function deleteHotfixAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const result = await toActionResult(async () => {
    await deleteHotfix({ actor: await requireActor(), ...parseForm(ZDeleteHotfix, form) });
    return undefined;
  });
  if (result?.ok) redirect("/hotfixes");
  return result;
}
