import * as openpgp from "openpgp";
import { AppError } from "../errors";
import { checkKeyCanSign } from "./key-usability";

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
  const usable = await checkKeyCanSign(key, now);
  if (!usable.ok) refuse(usable.message, usable.reason);
  const { expiresAt } = usable;
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    algorithm: describeAlgorithm(key.getAlgorithmInfo()),
    userIds: key.getUserIDs(),
    keyCreatedAt: key.getCreationTime(),
    expiresAt,
    armored: key.armor(),
  };
}
