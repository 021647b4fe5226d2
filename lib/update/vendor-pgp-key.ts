// A vendor's OpenPGP public key, trusted for an installation's packages (U1). Pure.
import * as openpgp from "openpgp";
import { AppError } from "../errors";
import { PRIVATE_KEY_MESSAGE, V6_KEY_MESSAGE } from "../crypto/pgp-keys";

export type TVendorPgpKey = {
  /** Upper-case hex, no spaces (as lib/crypto stores fingerprints). */
  fingerprint: string;
  userIds: string[];
  /** The public key re-armored (never anything private). */
  armored: string;
  expiresAt: Date | null;
};

const NOT_A_KEY =
  "This is not an OpenPGP public key: expected the vendor's key as exported by gpg --export (binary) or gpg --armor --export (-----BEGIN PGP PUBLIC KEY BLOCK-----).";

/**
 * Reads an armored or binary OpenPGP public key. Throws AppError VALIDATION when it is not one
 * key, KEY_REFUSED (as lib/crypto does) for a private key or a v6 key (GnuPG 2.2 cannot verify).
 * An expired key is read (its expiry is shown); verifying a package with it then fails.
 */
export async function readVendorPgpKey(bytes: Uint8Array): Promise<TVendorPgpKey> {
  if (bytes.length === 0) throw new AppError("VALIDATION", "The key file is empty.");
  const text = Buffer.from(bytes.subarray(0, 64 * 1024)).toString("latin1");
  if (text.includes("-----BEGIN PGP PRIVATE KEY BLOCK-----"))
    throw new AppError("KEY_REFUSED", PRIVATE_KEY_MESSAGE, { reason: "private" });
  // openpgp.js reads only the first of several armored blocks: count them.
  const blocks = Buffer.from(bytes)
    .toString("latin1")
    .split("-----BEGIN PGP PUBLIC KEY BLOCK-----");
  if (blocks.length > 2)
    throw new AppError(
      "VALIDATION",
      `Expected exactly one key, found ${blocks.length - 1}; add the vendor's keys one at a time.`,
    );
  let keys: openpgp.Key[];
  try {
    keys = text.includes("-----BEGIN PGP ")
      ? await openpgp.readKeys({ armoredKeys: Buffer.from(bytes).toString("utf8") })
      : await openpgp.readKeys({ binaryKeys: bytes });
  } catch {
    throw new AppError("VALIDATION", NOT_A_KEY);
  }
  if (keys.length !== 1)
    throw new AppError(
      "VALIDATION",
      `Expected exactly one key, found ${keys.length}; add the vendor's keys one at a time.`,
    );
  const key = keys[0];
  if (key.isPrivate())
    throw new AppError("KEY_REFUSED", PRIVATE_KEY_MESSAGE, { reason: "private" });
  if (key.keyPacket.version !== 4)
    throw new AppError("KEY_REFUSED", V6_KEY_MESSAGE, { reason: "v6" });
  const expiration = await key.getExpirationTime().catch(() => null);
  const userIds = key.users.flatMap((u) => (u.userID ? [u.userID.userID] : []));
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds,
    armored: key.toPublic().armor(),
    expiresAt: expiration instanceof Date ? expiration : null,
  };
}
