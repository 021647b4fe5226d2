"use server";

import { revalidatePath } from "next/cache";
import { ZodError } from "zod";
import { requireActor } from "../auth/require-actor";
import { AppError } from "../errors";
import { openDeployment } from "../server/deployments/open-deployment";
import { tickStep } from "../server/deployments/tick-step";
import { decideStep } from "../server/deployments/decide-step";
import { getNotificationPart, ZNotificationPart } from "../server/deployments/notification";
import { signNotification, ZSignNotification } from "../server/deployments/sign-notification";
import { toActionResult, formFields, type TActionResult } from "./action-result";

// Every export here is a public endpoint: the use-cases authorize (deploy:tick)
// and parse; these wrappers only turn a form into their input.

// Checkboxes send "on" when ticked and nothing when not: the form names its
// checkboxes in hidden `flag` fields so an unticked one becomes false.
const CONTROL = new Set(["patchId", "number", "flag"]);

async function refresh(patchId: string) {
  revalidatePath(`/patches/${patchId}/deployment`);
  revalidatePath(`/patches/${patchId}`);
  revalidatePath("/patches");
}

/** A zod issue's field path means nothing to the admin at the form: keep the sentence. */
async function plainZod<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ZodError)
      throw new AppError("VALIDATION", e.issues.map((i) => i.message).join(" "));
    throw e;
  }
}

export async function openDeploymentAction(_prev: TActionResult, form: FormData) {
  const patchId = formFields(form).patchId ?? "";
  return toActionResult(async () => {
    await openDeployment({ actor: await requireActor(), patchId });
    await refresh(patchId);
    return undefined;
  }, "Deployment record opened.");
}

export async function tickStepAction(
  _prev: TActionResult<{ status: string; state: string }>,
  form: FormData,
) {
  const f = formFields(form);
  const evidence: Record<string, unknown> = {};
  const flags = form.getAll("flag").map(String);
  for (const [k, v] of Object.entries(f)) {
    if (CONTROL.has(k) || flags.includes(k)) continue;
    evidence[k] = v;
  }
  for (const k of flags) evidence[k] = form.get(k) === "on";
  return toActionResult(async () => {
    const actor = await requireActor();
    const r = await plainZod(() =>
      tickStep({ actor, patchId: f.patchId ?? "", number: f.number ?? "", evidence }),
    );
    await refresh(f.patchId ?? "");
    return { status: r.status, state: r.state };
  }, `Step ${f.number} recorded.`);
}

export async function decideStepAction(_prev: TActionResult, form: FormData) {
  const f = formFields(form);
  return toActionResult(async () => {
    const actor = await requireActor();
    if (f.applicable !== "yes" && f.applicable !== "no")
      throw new AppError("VALIDATION", "Choose whether the step applies.");
    await plainZod(() =>
      decideStep({
        actor,
        patchId: f.patchId ?? "",
        number: f.number ?? "",
        applicable: f.applicable === "yes",
        reason: f.reason ?? "",
      }),
    );
    await refresh(f.patchId ?? "");
    return undefined;
  }, `Decision on step ${f.number} recorded.`);
}

/** P7: the notification's MIME part for the signing dialog, in the dialog's statement shape. */
export async function notificationPartAction(input: {
  patchId: string;
  keyFingerprint?: string;
}): Promise<TActionResult<{ statement: string; keyFingerprint: string }>> {
  return toActionResult(async () => {
    const f = ZNotificationPart.parse(input);
    const { part, keyFingerprint } = await getNotificationPart({
      actor: await requireActor(),
      ...f,
    });
    return { statement: part, keyFingerprint };
  });
}

/** P7: the admin's detached signature over that part; the worker steps are queued with it. */
export async function signNotificationAction(input: {
  patchId: string;
  signature: string;
}): Promise<TActionResult<{ fingerprint: string }>> {
  return toActionResult(async () => {
    const f = ZSignNotification.parse(input);
    // No revalidation here: the dialog refreshes the page when it closes (the refreshed page no
    // longer holds the signer this dialog belongs to).
    const r = await signNotification({ actor: await requireActor(), ...f });
    return { fingerprint: r.fingerprint };
  }, "Notification signed; the worker sends it.");
}
