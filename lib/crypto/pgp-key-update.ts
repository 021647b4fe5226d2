import * as openpgp from "openpgp";
import { AppError } from "../errors";
import {
  describePublicKey,
  MAX_ARMORED_KEY_BYTES,
  PRIVATE_KEY_MESSAGE,
  V6_KEY_MESSAGE,
  type TParsedPublicKey,
} from "./pgp-keys";
import { keyRevocation, validRevocations, type TKeyRevocation } from "./key-revocation";

export type TKeyUpdate = TParsedPublicKey & { revocation: TKeyRevocation | null };

const CLOCK_SKEW_MS = 5 * 60_000;

// Bad update material is the caller's mistake about the request: 400, nothing stored.
function refuse(message: string, reason: string): never {
  throw new AppError("VALIDATION", message, { reason });
}

async function readUpdateKey(material: string): Promise<openpgp.Key | null> {
  let keys: openpgp.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: material });
  } catch {
    return null; // no key packet: perhaps a revocation certificate
  }
  if (keys.length !== 1) refuse(`Expected one key, found ${keys.length}.`, "several");
  return keys[0];
}

/**
 * Merges what the owner of a registered key sends, an updated certificate (a
 * new expiry, user IDs, subkeys, a revocation) or a bare revocation
 * certificate, into the stored public key. Refuses material for another key,
 * text that does not parse, private keys, v6 keys and revocations dated in the
 * future. Only signatures that verify with the stored primary key are kept.
 */
export async function mergeKeyUpdate(
  storedArmored: string,
  material: string,
  now = new Date(),
): Promise<TKeyUpdate> {
  if (Buffer.byteLength(material, "utf8") > MAX_ARMORED_KEY_BYTES)
    refuse("The key material is larger than 64 KiB.", "too-large");
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(material))
    refuse(PRIVATE_KEY_MESSAGE, "private");
  // gpg stores revocation certificates with ":" before the armor line so they are not imported by accident.
  const text = material.replace(/^:(-----BEGIN PGP )/m, "$1");
  const stored = await openpgp.readKey({ armoredKey: storedArmored });
  const fingerprint = stored.getFingerprint().toUpperCase();

  let merged: openpgp.Key;
  const update = await readUpdateKey(text);
  if (update) {
    if (update.isPrivate()) refuse(PRIVATE_KEY_MESSAGE, "private");
    if (update.keyPacket.version !== 4) refuse(V6_KEY_MESSAGE, "v6");
    const other = update.getFingerprint().toUpperCase();
    if (other !== fingerprint)
      refuse(`This is key ${other}, not ${fingerprint}; send material for this key.`, "wrong-key");
    merged = await stored.update(update, now);
  } else {
    try {
      ({ publicKey: merged } = await openpgp.revokeKey({
        key: stored as openpgp.PublicKey,
        revocationCertificate: text,
        // A signer's clock may run a little fast; further ahead is refused below.
        date: new Date(now.getTime() + CLOCK_SKEW_MS),
        format: "object",
      }));
    } catch (e) {
      if (/does not match key/.test((e as Error).message))
        refuse(`This revocation certificate is for another key, not ${fingerprint}.`, "wrong-key");
      refuse(
        `This is neither an armored public key nor a revocation certificate for ${fingerprint}.`,
        "not-a-key",
      );
    }
  }
  // Key.update() adopts the source's revocations unchecked when the stored key has none.
  merged.revocationSignatures = await validRevocations(merged);
  const revocation = await keyRevocation(merged);
  if (revocation && revocation.revokedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    refuse("The revocation is dated in the future; check your clock.", "future");

  const expiration = await merged.getExpirationTime().catch(() => null);
  const parsed = await describePublicKey(
    merged,
    expiration instanceof Date ? expiration : null,
    now,
  );
  return { ...parsed, revocation };
}
