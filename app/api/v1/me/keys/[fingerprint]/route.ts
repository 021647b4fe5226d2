import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { keyFingerprintOf, type TKeyContext, ZKeyUpdateBody } from "@/lib/api/account-params";
import { updateKey } from "@/lib/server/keys/update-key";
import { removeKeyByFingerprint } from "@/lib/server/keys/remove-key";

/**
 * An updated certificate (new expiry, user IDs, subkeys) or a revocation
 * certificate for one of the caller's registered keys: `{ armored }`. Answers
 * the key's entry; from `revokedAt` on the key signs nothing.
 */
export const POST = apiRoute<TKeyContext>(async ({ actor, request, context }) => {
  const fingerprint = await keyFingerprintOf(context);
  const { armored } = ZKeyUpdateBody.parse(await readJson(request));
  return NextResponse.json(await updateKey({ actor, fingerprint, armored }));
});

/** Removes one of the caller's keys: it signs nothing more; past signatures stay verifiable. */
export const DELETE = apiRoute<TKeyContext>(async ({ actor, context }) => {
  await removeKeyByFingerprint({ actor, fingerprint: await keyFingerprintOf(context) });
  return new Response(null, { status: 204 });
});
