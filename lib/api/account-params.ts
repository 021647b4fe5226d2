import { z } from "zod";
import { cleanId } from "../domain/input-hygiene";
import { ZKeyFingerprint } from "../server/keys/signing-key";
import { ZUpdateKey } from "../server/keys/update-key";

// The account routes' path segments and bodies (/api/v1/me/**): parsed here, described
// in openapi-account.ts from the same schemas.

export const ZKeyParams = z.object({
  fingerprint: ZKeyFingerprint.meta({
    description: "The key's fingerprint (40 or 64 hex; spaces and case forgiven).",
  }),
});
export type TKeyContext = { params: Promise<{ fingerprint: string }> };

export async function keyFingerprintOf(context: TKeyContext): Promise<string> {
  return ZKeyParams.parse(await context.params).fingerprint;
}

/** POST /me/keys/{fingerprint}: the updated certificate or the revocation certificate. */
export const ZKeyUpdateBody = ZUpdateKey.pick({ armored: true });

export const ZTokenParams = z.object({
  id: cleanId().meta({ description: "The token's id (from GET /api/v1/me/tokens)." }),
});
export type TTokenContext = { params: Promise<{ id: string }> };

export async function tokenIdOf(context: TTokenContext): Promise<string> {
  return ZTokenParams.parse(await context.params).id;
}
