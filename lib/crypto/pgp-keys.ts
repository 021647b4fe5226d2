import * as openpgp from "openpgp";
import { AppError } from "../errors";
import { userIdsClaimEmail } from "../domain/key-user-ids";
import { checkKeyCanSign } from "./key-usability";
import { certifiedUserIds } from "./key-revocation";

export type TParsedPublicKey = {
  fingerprint: string; // upper-case hex, no spaces
  algorithm: string;
  userIds: string[];
  keyCreatedAt: Date;
  expiresAt: Date | null;
  armored: string; // re-armored public key only
};

export const MAX_ARMORED_KEY_BYTES = 64 * 1024;

export const V6_KEY_MESSAGE =
  "This is an OpenPGP v6 key; GnuPG 2.2 cannot verify its signatures, so Patchgate accepts v4 keys only for now. Generate an ed25519/cv25519 or RSA v4 key (gpg --quick-gen-key, or the generator below).";

export const PRIVATE_KEY_MESSAGE =
  "This is a private key. Never upload it: paste the PUBLIC key block (gpg --armor --export).";

function refuse(message: string, reason: string): never {
  throw new AppError("KEY_REFUSED", message, { reason });
}

function describeAlgorithm(info: { algorithm: string; bits?: number; curve?: string }): string {
  if (info.curve) return `${info.algorithm} (${info.curve})`;
  if (info.bits) return `${info.algorithm} ${info.bits}`;
  return info.algorithm;
}

/** What Patchgate stores about a public key, its user IDs those it self-certifies at `now`. */
export async function describePublicKey(
  key: openpgp.Key,
  expiresAt: Date | null,
  now: Date,
): Promise<TParsedPublicKey> {
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    algorithm: describeAlgorithm(key.getAlgorithmInfo()),
    userIds: await certifiedUserIds(key, now),
    keyCreatedAt: key.getCreationTime(),
    expiresAt,
    armored: key.armor(),
  };
}

/**
 * Parses an armored OpenPGP public key that a user wants to register and refuses,
 * with a message a person can act on, anything that cannot sign for them today:
 * not a key, several keys, a private key, a v6 key, a revoked or expired key, a
 * key with no valid signing (sub)key, or one none of whose user IDs carries the
 * account's e-mail address.
 */
export async function parseRegistrableKey(
  armored: string,
  { accountEmail, now = new Date() }: { accountEmail: string; now?: Date },
): Promise<TParsedPublicKey> {
  if (Buffer.byteLength(armored, "utf8") > MAX_ARMORED_KEY_BYTES) {
    refuse("The key is larger than 64 KiB; paste a single public key.", "too-large");
  }
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(armored)) refuse(PRIVATE_KEY_MESSAGE, "private");
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
  if (key.isPrivate()) refuse(PRIVATE_KEY_MESSAGE, "private");
  // Stock tools must verify every signature Patchgate accepts (gpg 2.2 reads v4 only).
  if (key.keyPacket.version !== 4) refuse(V6_KEY_MESSAGE, "v6");
  const usable = await checkKeyCanSign(key, now);
  if (!usable.ok) refuse(usable.message, usable.reason);
  const parsed = await describePublicKey(key, usable.expiresAt, now);
  if (!userIdsClaimEmail(parsed.userIds, accountEmail)) {
    refuse(
      `None of this key's user IDs carries your account's address ${accountEmail} (it has: ${
        parsed.userIds.join(", ") || "none"
      }). Add a user ID "Your Name <${accountEmail}>" (gpg --quick-add-uid) and paste the key again.`,
      "user-id",
    );
  }
  return parsed;
}
