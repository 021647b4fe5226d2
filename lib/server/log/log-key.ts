import "server-only";
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { db } from "../../db";
import { env, portalKeyPassphrase } from "../../env";
import { logOrigin } from "../../crypto/checkpoint";
import { vkeyOf } from "../../crypto/signed-note";
import { isUniqueViolation } from "../prisma-errors";

// The portal's Ed25519 key that signs checkpoints as C2SP signed notes (the OpenPGP
// portal key signs them too, for gpg). Created on first use, like the portal key; the
// private half is stored as PKCS#8 PEM encrypted with PORTAL_KEY_PASSPHRASE.
const LOG_KEY_ID = "log";

function generate() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  return {
    id: LOG_KEY_ID,
    // The raw 32-byte key is the last 32 bytes of its SPKI encoding.
    publicKey: new Uint8Array(spki.subarray(spki.length - 32)),
    privateEncrypted: privateKey.export({
      format: "pem",
      type: "pkcs8",
      cipher: "aes-256-cbc",
      passphrase: portalKeyPassphrase(),
    }) as string,
  };
}

async function ensureRow() {
  const found = await db.logKey.findUnique({ where: { id: LOG_KEY_ID } });
  if (found) return found;
  try {
    return await db.logKey.create({ data: generate() });
  } catch (e) {
    // Two processes started at once: the first key wins, everyone uses it.
    if (isUniqueViolation(e)) return db.logKey.findUniqueOrThrow({ where: { id: LOG_KEY_ID } });
    throw e;
  }
}

/** The log's origin: the checkpoints' first line and the note key's name. */
export function origin(): string {
  return logOrigin(env().PUBLIC_URL, env().LOG_ORIGIN);
}

/** The verifier key line (`<name>+<key hash>+<base64 key>`) served at /api/v1/log/key. */
export async function noteVerifierKey(): Promise<string> {
  const row = await ensureRow();
  return vkeyOf(origin(), new Uint8Array(row.publicKey));
}

let decrypted: { publicKey: string; key: KeyObject } | undefined;

/** The decrypted Ed25519 signing key (decrypted once per process). */
export async function noteSigningKey(): Promise<KeyObject> {
  const row = await ensureRow();
  const id = Buffer.from(row.publicKey).toString("base64");
  if (decrypted?.publicKey === id) return decrypted.key;
  try {
    const key = createPrivateKey({
      key: row.privateEncrypted,
      format: "pem",
      passphrase: portalKeyPassphrase(),
    });
    decrypted = { publicKey: id, key };
    return key;
  } catch {
    throw new Error("PORTAL_KEY_PASSPHRASE does not decrypt the log's note key");
  }
}
