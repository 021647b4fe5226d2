import "server-only";
import * as openpgp from "openpgp";
import { db } from "../../db";
import { env, portalKeyPassphrase } from "../../env";
import { isUniqueViolation } from "../prisma-errors";

// The portal's own OpenPGP key, which signs its mail (P7) and every dossier's
// manifest (issue #11). Created on first use; the private half is stored
// encrypted with PORTAL_KEY_PASSPHRASE, which never leaves the environment.
// curve25519Legacy (EdDSA) so that GnuPG 2.2 verifies it.
const PORTAL_KEY_ID = "portal";

export type TPortalPublicKey = { fingerprint: string; publicArmored: string; createdAt: Date };

async function generate() {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: "Patchgate portal", email: env().MAIL_FROM }],
    passphrase: portalKeyPassphrase(),
    format: "armored",
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return {
    id: PORTAL_KEY_ID,
    fingerprint: key.getFingerprint().toUpperCase(),
    publicArmored: publicKey,
    privateEncrypted: privateKey,
  };
}

async function ensureRow() {
  const found = await db.portalKey.findUnique({ where: { id: PORTAL_KEY_ID } });
  if (found) return found;
  try {
    return await db.portalKey.create({ data: await generate() });
  } catch (e) {
    // Two processes started at once: the first key wins, everyone uses it.
    if (isUniqueViolation(e))
      return db.portalKey.findUniqueOrThrow({ where: { id: PORTAL_KEY_ID } });
    throw e;
  }
}

export async function portalPublicKey(): Promise<TPortalPublicKey> {
  const row = await ensureRow();
  return {
    fingerprint: row.fingerprint,
    publicArmored: row.publicArmored,
    createdAt: row.createdAt,
  };
}

// Decrypted once per process and key (the key is replaced only by deleting the row).
let decrypted: { fingerprint: string; key: openpgp.PrivateKey } | undefined;

/** The decrypted signing key: the worker signs mail with it, an evidence export its manifest. */
export async function portalSigningKey(): Promise<openpgp.PrivateKey> {
  const row = await ensureRow();
  if (decrypted?.fingerprint === row.fingerprint) return decrypted.key;
  const encrypted = await openpgp.readPrivateKey({ armoredKey: row.privateEncrypted });
  try {
    const key = await openpgp.decryptKey({
      privateKey: encrypted,
      passphrase: portalKeyPassphrase(),
    });
    decrypted = { fingerprint: row.fingerprint, key };
    return key;
  } catch {
    throw new Error("PORTAL_KEY_PASSPHRASE does not decrypt the portal key");
  }
}
