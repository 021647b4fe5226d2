"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "../auth/require-actor";
import { setSystemPolicy } from "../server/systems/set-policy";
import { formFields, toActionResult, type TActionResult } from "./action-result";

// A public endpoint: setSystemPolicy authorizes (systems:manage) and checks the numbers itself.
export async function setSystemPolicyAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    const f = formFields(form);
    const count = (v: string | undefined) => (v && /^\d+$/.test(v.trim()) ? Number(v) : NaN);
    await setSystemPolicy({
      actor: await requireActor(),
      slug: f.slug ?? "",
      reviewsRequired: count(f.reviewsRequired),
      testsRequired: count(f.testsRequired),
      reason: f.reason ?? "",
    });
    revalidatePath("/admin/systems");
    return undefined;
  }, "Policy changed. Patches not yet requested now count under it; requested ones keep theirs.");
}
