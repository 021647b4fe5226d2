import * as openpgp from "openpgp";
import { AppError } from "../errors";
import { keyAsOf } from "./key-revocation";

// Verification of a sign-off: a detached signature over exactly the statement
// bytes the server issued, by the one key the statement names. Cleartext and
// inline-signed messages are refused outright (CVE-2025-47934).

const MAX_SIGNATURE_BYTES = 16 * 1024;
const CLOCK_SKEW_MS = 5 * 60_000;

function refuse(message: string, reason: string): never {
  throw new AppError("SIGNATURE_REFUSED", message, { reason });
}

/** openpgp.js's error text -> the refusal a person can act on. */
function refuseFor(e: unknown, fallback: "mismatch" | "not-signing-key"): never {
  const text = (e as Error).message;
  if (/expired/i.test(text)) refuse("The signing key has expired.", "expired-key");
  if (/revoked/i.test(text))
    refuse(
      "The signing key was revoked by its owner before this signature was received.",
      "revoked-key",
    );
  if (/in the future/i.test(text))
    refuse("The signature is dated in the future; check your clock.", "future");
  if (/could not find valid signing key|not valid for signing|key flags/i.test(text)) {
    refuse("The key that made this signature is not allowed to sign.", "not-signing-key");
  }
  if (/before|creation|newer/i.test(text))
    refuse("The signature is dated before its key existed.", "predates-key");
  if (fallback === "not-signing-key")
    refuse("The key that made this signature is not allowed to sign now.", "not-signing-key");
  refuse(
    "The signature does not match the statement: it was made over different text or is damaged.",
    "mismatch",
  );
}

// Parsed public keys by their exact armored text: parsing is a pure function of the text, so
// an entry never goes stale (a changed key row is a different text). Reading an armored key
// costs ~0.8 ms of CPU per sign-off; the cached key also keeps openpgp.js's record of which of
// its self-signatures verified, while every date check (expiry, revocation as of `now`) still
// runs on each call. Callers get a copy: keyAsOf() changes the key it is given.
const PARSED_KEYS_MAX = 256;
const parsedKeys = new Map<string, openpgp.Key>();

async function readPublicKey(armoredKey: string): Promise<openpgp.Key> {
  let key = parsedKeys.get(armoredKey);
  if (key) {
    parsedKeys.delete(armoredKey); // most recently used last
  } else {
    key = await openpgp.readKey({ armoredKey });
    if (parsedKeys.size >= PARSED_KEYS_MAX) parsedKeys.delete(parsedKeys.keys().next().value!);
  }
  parsedKeys.set(armoredKey, key);
  // Key#clone() (openpgp.js v6, untyped): new Key, User and Subkey objects over the same packets.
  return (key as openpgp.Key & { clone(): openpgp.Key }).clone();
}

export type TVerifiedSignature = { signingKeyId: string; signedAt: Date };

export async function verifyDetachedSignature(args: {
  /** The signed text, or its exact bytes (a MIME part is checked as stored, CRLF and all). */
  statement: string | Uint8Array;
  armoredSignature: string;
  armoredPublicKey: string;
  now?: Date;
}): Promise<TVerifiedSignature> {
  const now = args.now ?? new Date();
  const armored = args.armoredSignature.trim();
  if (Buffer.byteLength(armored) > MAX_SIGNATURE_BYTES)
    refuse("The signature is larger than 16 KiB.", "too-large");
  if (armored.includes("-----BEGIN PGP SIGNED MESSAGE-----")) {
    refuse(
      "This is a cleartext-signed message. Send a detached signature: gpg --armor --detach-sign.",
      "cleartext",
    );
  }
  if (armored.includes("-----BEGIN PGP MESSAGE-----")) {
    refuse(
      "This is an inline-signed message. Send a detached signature: gpg --armor --detach-sign.",
      "inline",
    );
  }
  if (
    !armored.startsWith("-----BEGIN PGP SIGNATURE-----") ||
    !armored.endsWith("-----END PGP SIGNATURE-----")
  ) {
    refuse(
      "This is not an armored detached signature (-----BEGIN PGP SIGNATURE----- ... -----END PGP SIGNATURE-----).",
      "not-armored",
    );
  }
  // openpgp.js reads the first armor block and ignores the rest: a second block must not ride along unchecked.
  if (armored.split("-----BEGIN PGP SIGNATURE-----").length !== 2)
    refuse("Send exactly one armored signature.", "several");
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({ armoredSignature: armored });
  } catch {
    refuse("The signature cannot be read: the armor is damaged or truncated.", "unreadable");
  }
  if (signature.packets.length !== 1)
    refuse(`Expected exactly one signature, found ${signature.packets.length}.`, "several");

  // The key as it stood at `now`, the server's receipt time: a revocation made later does not
  // void what was received before it; one made earlier refuses the signature.
  const key = keyAsOf(await readPublicKey(args.armoredPublicKey), now);
  // Binary literal data: the hash covers exactly the issued bytes.
  const binary =
    typeof args.statement === "string" ? new TextEncoder().encode(args.statement) : args.statement;
  const message = await openpgp.createMessage({ binary });
  // A signer's clock may run a little fast; beyond that the signature is refused as future-dated.
  const latest = new Date(now.getTime() + CLOCK_SKEW_MS);
  const { signatures } = await openpgp.verify({
    message,
    signature,
    verificationKeys: key,
    date: latest,
  });
  if (signatures.length !== 1) refuse("Expected exactly one signature.", "several");
  const [result] = signatures;
  const signingKeyId = result.keyID.toHex().toUpperCase();
  if (!key.getKeys(result.keyID).length) {
    refuse(
      `The signature was made by key ${signingKeyId}, not by the key the statement names.`,
      "wrong-key",
    );
  }
  try {
    await result.verified;
  } catch (e) {
    refuseFor(e, "mismatch");
  }
  // openpgp.js judges the key at the signature's creation time, which the signer chooses:
  // a backdated signature would pass with an expired or retired key. Judge the key now.
  try {
    await key.getSigningKey(result.keyID, now);
  } catch (e) {
    refuseFor(e, "not-signing-key");
  }
  const packet = (await result.signature).packets[0];
  const signedAt = packet.created ?? new Date(0);
  if (signedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    refuse("The signature is dated in the future; check your clock.", "future");
  const keyCreated = key.getKeys(result.keyID)[0].getCreationTime();
  if (signedAt < keyCreated)
    refuse("The signature is dated before its key existed.", "predates-key");
  return { signingKeyId, signedAt };
}
