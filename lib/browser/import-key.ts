// Importing an existing private key into this browser's key store. Everything
// here runs in the page (and in unit tests under Node): the key, its passphrase
// and the decrypted secret never leave it. Only the public half may be sent,
// and only by the caller, to register it.
import * as openpgp from "openpgp";
import { newPassphraseProblem } from "./passphrase";
import { checkKeyCanSign } from "../crypto/key-usability";

/** The server refuses larger public keys; a private key beyond this is not one person's key. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

export type TImportRefusal =
  | "too-large"
  | "not-a-key"
  | "public"
  | "several"
  | "partly-protected"
  | "revoked"
  | "expired"
  | "invalid"
  | "no-signing-key"
  | "no-secret-signing-key"
  | "passphrase-needed"
  | "wrong-passphrase"
  | "weak-passphrase"
  | "passphrases-differ";

export class ImportRefused extends Error {
  constructor(
    readonly reason: TImportRefusal,
    message: string,
  ) {
    super(message);
    this.name = "ImportRefused";
  }
}

function refuse(reason: TImportRefusal, message: string): never {
  throw new ImportRefused(reason, message);
}

export type TImportableKey = {
  /** As read: still encrypted when it came protected. */
  key: openpgp.PrivateKey;
  fingerprint: string;
  userId: string;
  /** Every secret in the file is passphrase-protected. */
  protected: boolean;
  expiresAt: Date | null;
};

export type TPreparedImport = {
  fingerprint: string;
  userId: string;
  /** What goes into IndexedDB: armored and encrypted, whatever the input was. */
  armoredPrivateKey: string;
  /** What may go to the server, to register the key. */
  armoredPublicKey: string;
  /** The key came unprotected and was encrypted here with a new passphrase. */
  encryptedHere: boolean;
};

async function readKeysLoosely(input: string | Uint8Array) {
  return typeof input === "string"
    ? openpgp.readKeys({ armoredKeys: input })
    : openpgp.readKeys({ binaryKeys: input });
}

/**
 * Reads one private key (armored text, or the binary `gpg --export-secret-keys`
 * writes) without decrypting it, and refuses, in words a person can act on,
 * anything that could not sign for them today.
 */
export async function readImportableKey(
  input: string | Uint8Array,
  now = new Date(),
): Promise<TImportableKey> {
  const size = typeof input === "string" ? new TextEncoder().encode(input).length : input.length;
  if (size > MAX_KEY_FILE_BYTES)
    refuse("too-large", "This is larger than 64 KiB; export a single private key.");

  let keys: openpgp.PrivateKey[];
  try {
    keys =
      typeof input === "string"
        ? await openpgp.readPrivateKeys({ armoredKeys: input.trim() })
        : await openpgp.readPrivateKeys({ binaryKeys: input });
  } catch {
    // Tell a public key apart from noise: the fix differs.
    const asPublic = await readKeysLoosely(typeof input === "string" ? input.trim() : input).catch(
      () => [],
    );
    if (asPublic.length > 0)
      refuse(
        "public",
        "This is a public key. Import the PRIVATE key (gpg --armor --export-secret-keys <fingerprint>); to register a public key, paste it under “Paste a public key”.",
      );
    refuse(
      "not-a-key",
      "This is not an OpenPGP private key (expected -----BEGIN PGP PRIVATE KEY BLOCK-----).",
    );
  }
  if (keys.length !== 1)
    refuse("several", `Expected exactly one key, found ${keys.length}; import them one at a time.`);
  const key = keys[0];

  // Dummy packets (a secret GnuPG left out, or one on a smartcard) hold nothing to protect.
  const secrets = key.getKeys().filter((k) => !(k.keyPacket as openpgp.SecretKeyPacket).isDummy());
  const encrypted = secrets.filter((k) => !k.isDecrypted()).length;
  if (encrypted > 0 && encrypted < secrets.length)
    refuse(
      "partly-protected",
      "Only some of this key's parts are protected by a passphrase. Set one passphrase for the whole key (gpg --edit-key <fingerprint> passwd) and export it again.",
    );

  const usable = await checkKeyCanSign(key, now);
  if (!usable.ok) refuse(usable.reason, usable.message);
  const { expiresAt, signingKey } = usable;
  if ((signingKey.keyPacket as openpgp.SecretKeyPacket).isMissingSecretKeyMaterial())
    refuse(
      "no-secret-signing-key",
      "The secret part of this key's signing key is not in the file (GnuPG exports a stub for a key on a smartcard or left out of the export). Export it with gpg --armor --export-secret-keys <fingerprint>.",
    );

  let userId = key.getUserIDs()[0] ?? "";
  try {
    userId = (await key.getPrimaryUser(now)).user.userID?.userID ?? userId;
  } catch {
    // A key without a valid self-certified user id already failed verifyPrimaryKey.
  }
  return {
    key,
    fingerprint: key.getFingerprint().toUpperCase(),
    userId,
    protected: encrypted > 0,
    expiresAt,
  };
}

/**
 * Proves the secret is usable before anything is stored, and gives back what
 * the store keeps: a protected key as it came (its own passphrase still guards
 * it), an unprotected one encrypted here with the new passphrase typed twice.
 *
 * Why encrypt rather than refuse an unprotected key: the secret is already in
 * the clear on the person's disk, so refusing protects nothing; it only sends
 * them off to `gpg --passwd` and a second export. What a careful person expects
 * is that the copy *this browser* keeps is never in the clear, and that each
 * signature asks for a passphrase, as with a generated key. So the browser's
 * copy is always encrypted, and the page says that the file itself is not.
 */
export async function prepareImport(
  importable: TImportableKey,
  secrets: { passphrase?: string; newPassphrase?: string; confirmPassphrase?: string },
): Promise<TPreparedImport> {
  const { key } = importable;
  let unlocked: openpgp.PrivateKey;
  if (importable.protected) {
    if (!secrets.passphrase)
      refuse("passphrase-needed", "This key is protected: enter its passphrase.");
    try {
      // decryptKey also checks that the secret matches the public key.
      unlocked = await openpgp.decryptKey({ privateKey: key, passphrase: secrets.passphrase });
    } catch (e) {
      if (/passphrase/i.test((e as Error).message))
        refuse("wrong-passphrase", "Wrong passphrase for this key; nothing was stored.");
      refuse("invalid", "This key's secret part does not match its public part.");
    }
  } else {
    const problem = newPassphraseProblem(
      secrets.newPassphrase ?? "",
      secrets.confirmPassphrase ?? "",
    );
    if (problem) refuse(problem.reason, problem.message);
    unlocked = key;
  }

  // A signature made and checked here: the key can do what it is imported for,
  // and (for a key that came unprotected, which decryptKey did not check) its
  // secret matches its public half.
  try {
    const probe = await openpgp.createMessage({ text: "patchgate import check" });
    const signature = await openpgp.sign({ message: probe, signingKeys: unlocked, detached: true });
    const verified = await openpgp.verify({
      message: probe,
      signature: await openpgp.readSignature({ armoredSignature: String(signature) }),
      verificationKeys: unlocked.toPublic(),
    });
    await verified.signatures[0].verified;
  } catch {
    refuse("invalid", "This key could not make a valid signature.");
  }

  const armoredPrivateKey = importable.protected
    ? key.armor()
    : (await openpgp.encryptKey({ privateKey: key, passphrase: secrets.newPassphrase! })).armor();
  return {
    fingerprint: importable.fingerprint,
    userId: importable.userId,
    armoredPrivateKey,
    armoredPublicKey: key.toPublic().armor(),
    encryptedHere: !importable.protected,
  };
}
