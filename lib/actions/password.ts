"use server";

import { signOut } from "../auth/config";
import { requireActor } from "../auth/require-actor";
import { redirect } from "next/navigation";
import { changePassword } from "../server/users/change-password";
import { setPasswordWithLink, ZSetPasswordWithLink } from "../server/users/password-link";
import { formFields, parseForm, toActionResult, type TActionResult } from "./action-result";

/** The one action a person with a temporary password may take. Success ends the session: sign in anew. */
export async function changePasswordAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  const result = await toActionResult(async () => {
    const actor = await requireActor({ allowTemporaryPassword: true });
    await changePassword({
      actor,
      current: f.current ?? "",
      next: f.next ?? "",
      repeat: f.repeat ?? "",
    });
    return undefined;
  });
  if (result?.ok) await signOut({ redirectTo: "/login?changed=1" });
  return result;
}

/** Public: the one-time link mailed for a new account. Success sends the person to sign in. */
export async function setPasswordWithLinkAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const result = await toActionResult(async () => {
    await setPasswordWithLink(parseForm(ZSetPasswordWithLink, form));
    return undefined;
  });
  if (result?.ok) redirect("/login?changed=1");
  return result;
}
