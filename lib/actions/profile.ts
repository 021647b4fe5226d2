"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "../auth/require-actor";
import { registerKey } from "../server/keys/register-key";
import { listOwnKeyFingerprints } from "../server/keys/list-own-keys";
import { removeKey } from "../server/keys/remove-key";
import { updateKey, ZUpdateKey } from "../server/keys/update-key";
import { createToken, ZCreateToken } from "../server/tokens/create-token";
import { revokeToken } from "../server/tokens/revoke-token";
import { toActionResult, formFields, parseForm, type TActionResult } from "./action-result";

export async function registerKeyAction(
  _prev: TActionResult<{ fingerprint: string }>,
  form: FormData,
) {
  return toActionResult(async () => {
    const key = await registerKey({
      actor: await requireActor(),
      armored: formFields(form).armored ?? "",
    });
    revalidatePath("/profile");
    return { fingerprint: key.fingerprint };
  }, "Key registered.");
}

/** An updated certificate or a revocation certificate for one of the person's keys. */
export async function updateKeyAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    const actor = await requireActor();
    const { fingerprint, armored } = parseForm(ZUpdateKey, form);
    await updateKey({ actor, fingerprint, armored });
    revalidatePath("/profile");
    return undefined;
  }, "Key updated.");
}

/** For the signing dialog: which of this browser's stored keys are the signer's. */
export async function ownKeyFingerprintsAction(): Promise<TActionResult<string[]>> {
  return toActionResult(async () => listOwnKeyFingerprints({ actor: await requireActor() }));
}

export async function removeKeyAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    await removeKey({ actor: await requireActor(), keyId: formFields(form).keyId ?? "" });
    revalidatePath("/profile");
    return undefined;
  }, "Key removed.");
}

export async function createTokenAction(_prev: TActionResult<{ token: string }>, form: FormData) {
  return toActionResult(async () => {
    const { token } = await createToken({
      actor: await requireActor(),
      ...parseForm(ZCreateToken, form),
    });
    revalidatePath("/profile");
    return { token };
  });
}

export async function revokeTokenAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    await revokeToken({ actor: await requireActor(), tokenId: formFields(form).tokenId ?? "" });
    revalidatePath("/profile");
    return undefined;
  }, "Token revoked.");
}
