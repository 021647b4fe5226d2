import * as openpgp from "openpgp";
import { AppError } from "../errors";
import { formatDate } from "../format";

export type TParsedPublicKey = {
  fingerprint: string; // upper-case hex, no spaces
  algorithm: string;
  userIds: string[];
  keyCreatedAt: Date;
  expiresAt: Date | null;
  armored: string; // re-armored public key only
};

const MAX_ARMORED_KEY_BYTES = 64 * 1024;

function refuse(message: string, reason: string): never {
  throw new AppError("KEY_REFUSED", message, { reason });
}

function describeAlgorithm(info: { algorithm: string; bits?: number; curve?: string }): string {
  if (info.curve) return `${info.algorithm} (${info.curve})`;
  if (info.bits) return `${info.algorithm} ${info.bits}`;
  return info.algorithm;
}

/**
 * Parses an armored OpenPGP public key that a user wants to register and refuses,
 * with a message a person can act on, anything that cannot sign for them today:
 * not a key, several keys, a private key, a revoked or expired key, or a key with
 * no valid signing (sub)key.
 */
export async function parseRegistrableKey(
  armored: string,
  now = new Date(),
): Promise<TParsedPublicKey> {
  if (Buffer.byteLength(armored, "utf8") > MAX_ARMORED_KEY_BYTES) {
    refuse("The key is larger than 64 KiB; paste a single public key.", "too-large");
  }
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(armored)) {
    refuse(
      "This is a private key. Never upload it: paste the PUBLIC key block (gpg --armor --export).",
      "private",
    );
  }
  let keys: openpgp.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: armored });
  } catch {
    refuse(
      "This is not an armored OpenPGP public key (expected -----BEGIN PGP PUBLIC KEY BLOCK-----).",
      "not-a-key",
    );
  }
  if (keys.length !== 1)
    refuse(
      `Expected exactly one key, found ${keys.length}; register them one at a time.`,
      "several",
    );
  const key = keys[0];
  if (key.isPrivate()) {
    refuse(
      "This is a private key. Never upload it: paste the PUBLIC key block (gpg --armor --export).",
      "private",
    );
  }
  if (await key.isRevoked(undefined, undefined, now))
    refuse("This key has been revoked; it cannot sign.", "revoked");

  const expiration = await key.getExpirationTime();
  const expiresAt = expiration instanceof Date ? expiration : null;
  if (expiresAt && expiresAt <= now) {
    refuse(
      `This key expired on ${formatDate(expiresAt)}; extend it or register a current key.`,
      "expired",
    );
  }
  try {
    await key.verifyPrimaryKey(now);
  } catch (e) {
    refuse(`This key is not valid: ${(e as Error).message}.`, "invalid");
  }
  try {
    await key.getSigningKey(undefined, now);
  } catch {
    refuse(
      "This key has no valid signing key (no key or subkey with the sign capability).",
      "no-signing-key",
    );
  }
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    algorithm: describeAlgorithm(key.getAlgorithmInfo()),
    userIds: key.getUserIDs(),
    keyCreatedAt: key.getCreationTime(),
    expiresAt,
    armored: key.armor(),
  };
}
