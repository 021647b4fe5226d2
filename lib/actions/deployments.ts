"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { requireActor } from "../auth/require-actor";
import { openDeployment } from "../server/deployments/open-deployment";
import {
  issueDecisionStatement,
  issueStepStatement,
  ZIssueDecisionStatement,
  ZIssueStepStatement,
} from "../server/deployments/issue-step-statement";
import { getNotificationPart, ZNotificationPart } from "../server/deployments/notification";
import { signNotification, ZSignNotification } from "../server/deployments/sign-notification";
import { toActionResult, formFields, type TActionResult } from "./action-result";

// Every export here is a public endpoint: each asks who is calling before it
// reads the input; the use-cases authorize (deploy:tick) and check. A tick or a decision is a signed
// statement (X1): these issue its text, recordSignoffAction records it.

type TIssued = TActionResult<{ statement: string; keyFingerprint: string }>;

export async function openDeploymentAction(_prev: TActionResult, form: FormData) {
  const patchId = formFields(form).patchId ?? "";
  return toActionResult(async () => {
    await openDeployment({ actor: await requireActor(), patchId });
    revalidatePath(`/patches/${patchId}/deployment`);
    revalidatePath(`/patches/${patchId}`);
    revalidatePath("/patches");
    return undefined;
  }, "Deployment record opened.");
}

/** The statement that ticks step n with this evidence, to be signed in the browser. */
export async function issueStepStatementAction(
  input: z.input<typeof ZIssueStepStatement>,
): Promise<TIssued> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const f = ZIssueStepStatement.parse(input);
    const { statement, keyFingerprint } = await issueStepStatement({ actor, ...f });
    return { statement, keyFingerprint };
  });
}

/** The statement of a signing-server decision on step 3–7, to be signed in the browser. */
export async function issueDecisionStatementAction(
  input: z.input<typeof ZIssueDecisionStatement>,
): Promise<TIssued> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const f = ZIssueDecisionStatement.parse(input);
    const { statement, keyFingerprint } = await issueDecisionStatement({ actor, ...f });
    return { statement, keyFingerprint };
  });
}

/** P7: the notification's MIME part for the signing dialog, in the dialog's statement shape. */
export async function notificationPartAction(input: {
  patchId: string;
  keyFingerprint?: string;
}): Promise<TActionResult<{ statement: string; keyFingerprint: string }>> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const f = ZNotificationPart.parse(input);
    const { part, keyFingerprint } = await getNotificationPart({ actor, ...f });
    return { statement: part, keyFingerprint };
  });
}

/** P7: the admin's detached signature over that part; the worker steps are queued with it. */
export async function signNotificationAction(input: {
  patchId: string;
  signature: string;
}): Promise<TActionResult<{ fingerprint: string }>> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const f = ZSignNotification.parse(input);
    // No revalidation here: the dialog refreshes the page when it closes (the refreshed page no
    // longer holds the signer this dialog belongs to).
    const r = await signNotification({ actor, ...f });
    return { fingerprint: r.fingerprint };
  }, "Notification signed; the worker sends it.");
}
