"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActor } from "../auth/require-actor";
import { declareEmergency, ZDeclareEmergency } from "../server/emergencies/declare-emergency";
import { nameResponder, ZNameResponder } from "../server/emergencies/name-responder";
import {
  issueEmergencyStatement,
  ZIssueEmergencyStatement,
} from "../server/emergencies/issue-emergency-statement";
import {
  recordEmergencyStatement,
  ZRecordEmergencyStatement,
} from "../server/emergencies/record-emergency-statement";
import { parseForm, toActionResult, type TActionResult } from "./action-result";

// Public endpoints: each asks who is calling before it reads the input, and
// leaves authorization to the use-case.

export async function declareEmergencyAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  let number: number | undefined;
  const result = await toActionResult(async () => {
    const actor = await requireActor();
    const e = await declareEmergency({ actor, ...parseForm(ZDeclareEmergency, form) });
    number = e.number;
    return undefined;
  });
  if (number) redirect(`/emergencies/${number}`);
  return result;
}

export async function nameResponderAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  return toActionResult(async () => {
    const actor = await requireActor();
    await nameResponder({ actor, ...parseForm(ZNameResponder, form) });
    revalidatePath("/emergencies", "layout");
    return undefined;
  }, "Responder named.");
}

/**
 * The statement to sign for one emergency step. Option 1 (E3): `option1-patch` takes `diff` and the
 * optional `bugId`, `bugSummary`; the `review-1` gate `develCommit`, `testServer`; the `test` gate
 * `verdict` (`pass` | `fail`); a ruling's `verdict` is one of the ruling verdicts.
 */
export async function issueEmergencyStatementAction(
  input: z.input<typeof ZIssueEmergencyStatement>,
): Promise<TActionResult<{ statement: string; keyFingerprint: string }>> {
  return toActionResult(async () => {
    const { statement, keyFingerprint } = await issueEmergencyStatement({
      actor: await requireActor(),
      ...ZIssueEmergencyStatement.parse(input),
    });
    return { statement, keyFingerprint };
  });
}

/**
 * A signed emergency statement: a standby acknowledgement, a ruling, or a step of the ladder, with
 * the attachments it names (`diff`, `log`) and, for `option1-patch`, the same `bugId`, `bugSummary`.
 */
export async function recordEmergencyStatementAction(
  input: z.input<typeof ZRecordEmergencyStatement>,
): Promise<TActionResult<{ kind: string }>> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const f = ZRecordEmergencyStatement.parse(input);
    const { kind } = await recordEmergencyStatement({ actor, ...f });
    revalidatePath("/emergencies", "layout");
    revalidatePath("/disputes", "layout");
    return { kind };
  }, "Signed and recorded.");
}
