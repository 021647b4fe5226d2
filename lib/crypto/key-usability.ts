// Whether an OpenPGP key can sign today: one rule for the server, which
// applies it when a public key is registered, and for the browser, which
// applies it when a private key is imported. Only openpgp.js and formatting
// here, so the browser can load it.
import * as openpgp from "openpgp";
import { formatDate } from "../format";

export type TKeyUsability =
  | {
      ok: true;
      expiresAt: Date | null;
      /** The (sub)key that would make a signature now. */
      signingKey: openpgp.Key | openpgp.Subkey;
    }
  | { ok: false; reason: "revoked" | "expired" | "invalid" | "no-signing-key"; message: string };

/** Revoked, expired, an invalid primary key, or no (sub)key with the sign capability: refused. */
export async function checkKeyCanSign(key: openpgp.Key, now: Date): Promise<TKeyUsability> {
  if (await key.isRevoked(undefined, undefined, now))
    return { ok: false, reason: "revoked", message: "This key has been revoked; it cannot sign." };
  const expiration = await key.getExpirationTime();
  const expiresAt = expiration instanceof Date ? expiration : null;
  if (expiresAt && expiresAt <= now)
    return {
      ok: false,
      reason: "expired",
      message: `This key expired on ${formatDate(expiresAt)}; extend it or use a current key.`,
    };
  try {
    await key.verifyPrimaryKey(now);
  } catch (e) {
    return {
      ok: false,
      reason: "invalid",
      message: `This key is not valid: ${(e as Error).message}.`,
    };
  }
  try {
    return { ok: true, expiresAt, signingKey: await key.getSigningKey(undefined, now) };
  } catch {
    return {
      ok: false,
      reason: "no-signing-key",
      message: "This key has no valid signing key (no key or subkey with the sign capability).",
    };
  }
}
