"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActor } from "../auth/require-actor";
import { parseStatement } from "../domain/statements";
import { declareEmergency } from "../server/emergencies/declare-emergency";
import { nameResponder } from "../server/emergencies/name-responder";
import {
  issueEmergencyStatement,
  ZIssueEmergencyStatement,
} from "../server/emergencies/issue-emergency-statement";
import { acknowledgeStandby } from "../server/emergencies/acknowledge-standby";
import { recordMove } from "../server/emergencies/record-move";
import { recordRuling } from "../server/emergencies/record-ruling";
import { formFields, toActionResult, type TActionResult } from "./action-result";

// Public endpoints: each parses its input and leaves authorization to the use-case.

export async function declareEmergencyAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  let number: number | undefined;
  const result = await toActionResult(async () => {
    const f = formFields(form);
    const e = await declareEmergency({
      actor: await requireActor(),
      system: f.system ?? "",
      title: f.title ?? "",
      description: f.description ?? "",
      severity: f.severity as "critical",
    });
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
    const f = formFields(form);
    await nameResponder({
      actor: await requireActor(),
      emergencyId: f.emergencyId ?? "",
      team: f.team as "TESTERS",
      userId: f.userId ?? "",
      contact: f.contact ?? "",
    });
    revalidatePath("/emergencies", "layout");
    return undefined;
  }, "Responder named.");
}

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

const ZRecordInput = z.object({
  statement: z.string().min(1).max(20_000),
  signature: z.string().min(1).max(16_384),
  diff: z
    .string()
    .max(20 * 1024 * 1024)
    .optional(),
  log: z
    .string()
    .max(2 * 1024 * 1024)
    .optional(),
});

/** A signed emergency statement: a standby acknowledgement, a ruling, or a step of the ladder. */
export async function recordEmergencyStatementAction(
  input: z.input<typeof ZRecordInput>,
): Promise<TActionResult<{ kind: string }>> {
  return toActionResult(async () => {
    const f = ZRecordInput.parse(input);
    const actor = await requireActor();
    const kind = parseStatement(f.statement)?.kind ?? "";
    if (kind === "acknowledge")
      await acknowledgeStandby({ actor, statement: f.statement, signature: f.signature });
    else if (kind === "ruling")
      await recordRuling({ actor, statement: f.statement, signature: f.signature });
    else await recordMove({ actor, ...f });
    revalidatePath("/emergencies", "layout");
    revalidatePath("/disputes", "layout");
    return { kind };
  }, "Signed and recorded.");
}
