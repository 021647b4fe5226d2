"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "../auth/require-actor";
import { retryOutbox } from "../server/outbox/retry-outbox";
import { toActionResult, formFields, type TActionResult } from "./action-result";

// A public endpoint: retryOutbox authorizes (outbox:manage) itself.
export async function retryOutboxAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    await retryOutbox({ actor: await requireActor(), outboxId: formFields(form).outboxId ?? "" });
    revalidatePath("/admin/outbox");
    return undefined;
  }, "Queued again; the worker picks it up within seconds.");
}
