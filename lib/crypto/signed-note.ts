import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  sign,
  verify,
} from "node:crypto";
import { AppError } from "../errors";

// C2SP signed notes (https://c2sp.org/signed-note), Ed25519 only: the format
// of the log's checkpoints, which witnesses and tools built for Go's
// golang.org/x/mod/sumdb/note read as they are.
//
//   <text, ending in a newline>
//   <blank line>
//   — <key name> base64(4-byte key ID ‖ 64-byte Ed25519 signature of the text)
//
// The verifier is strict where a loose reading could change meaning (one
// base64 spelling per byte string, no control characters) and ignores
// signatures by keys it was not given, as the spec requires, so a note can
// carry a witness's cosignature or a rotated key's signature beside ours.

const SIGNATURE_TYPE_ED25519 = 0x01;
const SIGNATURE_PREFIX = "\u2014 "; // em dash, space
const MAX_SIGNATURES = 100; // the spec asks for at least 16; Go's reader allows 100
const ED25519_SIGNATURE_BYTES = 64;

// DER wrappers that turn a raw 32-byte Ed25519 seed or public key into the
// PKCS#8 / SPKI structures node:crypto imports (RFC 8410).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** Ed25519 private key: a node:crypto KeyObject, or its 32-byte seed. */
export type TNotePrivateKey = KeyObject | Uint8Array;
/** Ed25519 public key: a node:crypto KeyObject, or its 32 raw bytes. */
export type TNotePublicKey = KeyObject | Uint8Array;

export type TVerifierKey = {
  name: string;
  /** Key ID, 8 lower-case hex digits. */
  keyId: string;
  /** The 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
};

export type TNoteSignature = { name: string; keyId: string; signature: Uint8Array };

function malformedNote(message: string): never {
  throw new AppError("SIGNATURE_REFUSED", `Malformed signed note: ${message}`, {
    reason: "malformed-note",
  });
}

function malformedKey(message: string): never {
  throw new AppError("KEY_REFUSED", `Malformed note verifier key: ${message}`, {
    reason: "malformed-vkey",
  });
}

/** Key names are non-empty, with no Unicode space and no "+" (the vkey separator). */
export function isValidKeyName(name: string): boolean {
  // \s is JavaScript's list of Unicode spaces; Go's unicode.IsSpace adds NEL (U+0085).
  return name.length > 0 && name.isWellFormed() && !/[\s\u0085+]/u.test(name) && !hasControl(name);
}

/** The ASCII control characters a note may not hold: all below U+0020 but the newline. */
function hasControl(text: string): boolean {
  return /[\u0000-\u0009\u000b-\u001f]/.test(text);
}

/** Standard base64 with padding, in its one canonical spelling, or null. */
function strictBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? new Uint8Array(bytes) : null;
}

function toPrivateKey(key: TNotePrivateKey): KeyObject {
  if (key instanceof KeyObject) return key;
  if (key.length !== 32) throw new RangeError("an Ed25519 seed is 32 bytes");
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, key]),
    format: "der",
    type: "pkcs8",
  });
}

function toPublicKey(key: TNotePublicKey): KeyObject {
  if (key instanceof KeyObject) return key.type === "private" ? createPublicKey(key) : key;
  if (key.length !== 32) throw new RangeError("an Ed25519 public key is 32 bytes");
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, key]), format: "der", type: "spki" });
}

/** The raw 32-byte public key (a private KeyObject gives its public half). */
export function rawPublicKey(key: TNotePublicKey): Uint8Array {
  const pub = toPublicKey(key);
  if (pub.asymmetricKeyType !== "ed25519") throw new RangeError("not an Ed25519 key");
  const spki = pub.export({ format: "der", type: "spki" });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** Key ID = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], as hex. */
export function keyIdOf(name: string, publicKey: TNotePublicKey): string {
  return createHash("sha256")
    .update(name, "utf8")
    .update(Uint8Array.of(0x0a, SIGNATURE_TYPE_ED25519))
    .update(rawPublicKey(publicKey))
    .digest()
    .subarray(0, 4)
    .toString("hex");
}

/** `<name>+<key ID hex>+base64(0x01 ‖ public key)`: the line a verifier is configured with. */
export function vkeyOf(name: string, publicKey: TNotePublicKey): string {
  if (!isValidKeyName(name)) throw new RangeError(`not a valid note key name: ${name}`);
  const typed = Buffer.concat([Uint8Array.of(SIGNATURE_TYPE_ED25519), rawPublicKey(publicKey)]);
  return `${name}+${keyIdOf(name, publicKey)}+${typed.toString("base64")}`;
}

export function parseVkey(vkey: string): TVerifierKey {
  // The key name holds no "+", the base64 may: split at the first two only.
  const first = vkey.indexOf("+");
  const second = vkey.indexOf("+", first + 1);
  if (first < 0 || second < 0) malformedKey("expected <name>+<key id>+<key>");
  const name = vkey.slice(0, first);
  const keyId = vkey.slice(first + 1, second);
  const typed = strictBase64(vkey.slice(second + 1).trim());
  if (!isValidKeyName(name))
    malformedKey("the key name is empty or has a space or control character");
  if (!/^[0-9a-f]{8}$/.test(keyId)) malformedKey("the key ID is not 8 lower-case hex digits");
  if (!typed) malformedKey("the key is not standard base64");
  if (typed.length !== 33 || typed[0] !== SIGNATURE_TYPE_ED25519) {
    malformedKey("only Ed25519 keys (type 0x01, 32 bytes) are supported");
  }
  const publicKey = typed.subarray(1);
  if (keyIdOf(name, publicKey) !== keyId)
    malformedKey("the key ID does not match the name and key");
  return { name, keyId, publicKey };
}

/** The note: `body`, a blank line, then one signature line by `name`'s key. */
export function signNote(body: string, name: string, privateKey: TNotePrivateKey): string {
  if (!body.endsWith("\n")) throw new RangeError("a note's text ends with a newline");
  if (!body.isWellFormed() || hasControl(body)) {
    throw new RangeError("a note's text has no control characters but newlines");
  }
  if (!isValidKeyName(name)) throw new RangeError(`not a valid note key name: ${name}`);
  const key = toPrivateKey(privateKey);
  const signature = sign(null, Buffer.from(body, "utf8"), key);
  const keyId = Buffer.from(keyIdOf(name, key), "hex");
  const encoded = Buffer.concat([keyId, signature]).toString("base64");
  return `${body}\n${SIGNATURE_PREFIX}${name} ${encoded}\n`;
}

/** Splits a note into its text and signature lines, without checking any signature. */
export function parseNote(note: string | Uint8Array): {
  body: string;
  signatures: TNoteSignature[];
} {
  let text: string;
  if (typeof note === "string") {
    text = note;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(note);
    } catch {
      malformedNote("it is not UTF-8");
    }
  }
  if (!text.isWellFormed()) malformedNote("it is not valid Unicode");
  if (hasControl(text)) malformedNote("it holds a control character other than newline");
  // The text ends at the note's last blank line; signatures follow it.
  const split = text.lastIndexOf("\n\n");
  if (split < 0) malformedNote("no blank line separates the text from the signatures");
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) {
    malformedNote("the signature lines are missing or do not end with a newline");
  }
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) malformedNote(`more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line, i) => {
    const where = `signature line ${i + 1}`;
    if (!line.startsWith(SIGNATURE_PREFIX)) malformedNote(`${where} does not start with "— "`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(" ");
    if (space < 0) malformedNote(`${where} has no space between key name and signature`);
    const name = rest.slice(0, space);
    const raw = strictBase64(rest.slice(space + 1));
    if (!isValidKeyName(name)) malformedNote(`${where} has an invalid key name`);
    if (!raw || raw.length < 5)
      malformedNote(`${where}: the signature is not base64 of key ID and signature`);
    return {
      name,
      keyId: Buffer.from(raw.subarray(0, 4)).toString("hex"),
      signature: raw.subarray(4),
    };
  });
  return { body, signatures };
}

/**
 * The note's text, if the key `vkey` names signed it; throws otherwise.
 * Signatures by other keys (another name or key ID) are ignored; a
 * signature that claims this key and does not verify refuses the note.
 */
export function verifyNote(note: string | Uint8Array, vkey: string): string {
  const key = parseVkey(vkey);
  const { body, signatures } = parseNote(note);
  const ours = signatures.filter((s) => s.name === key.name && s.keyId === key.keyId);
  if (ours.length === 0) {
    throw new AppError(
      "SIGNATURE_REFUSED",
      `The note is not signed by the key ${key.name}+${key.keyId}.`,
      { reason: "unknown-key" },
    );
  }
  const publicKey = toPublicKey(key.publicKey);
  const message = Buffer.from(body, "utf8");
  for (const s of ours) {
    const valid =
      s.signature.length === ED25519_SIGNATURE_BYTES &&
      verify(null, message, publicKey, s.signature);
    if (!valid) {
      throw new AppError(
        "SIGNATURE_REFUSED",
        `The signature by ${key.name}+${key.keyId} does not match the note's text: it was altered or signed by another key.`,
        { reason: "bad-signature" },
      );
    }
  }
  return body;
}

// Go's sumdb/note signer key format, `PRIVATE+KEY+<name>+<key ID>+base64(0x01 ‖ seed)`:
// one line to keep the note key in a secret store or an environment variable.

export function formatSignerKey(name: string, privateKey: TNotePrivateKey): string {
  const key = toPrivateKey(privateKey);
  const jwk = key.export({ format: "jwk" });
  if (!jwk.d) throw new RangeError("not an Ed25519 private key");
  const seed = Buffer.from(jwk.d, "base64url");
  const typed = Buffer.concat([Uint8Array.of(SIGNATURE_TYPE_ED25519), seed]);
  if (!isValidKeyName(name)) throw new RangeError(`not a valid note key name: ${name}`);
  return `PRIVATE+KEY+${name}+${keyIdOf(name, key)}+${typed.toString("base64")}`;
}

export function parseSignerKey(skey: string): { name: string; privateKey: KeyObject } {
  const parts = skey.trim().split("+");
  if (parts.length < 5 || parts[0] !== "PRIVATE" || parts[1] !== "KEY") {
    malformedKey("a signer key reads PRIVATE+KEY+<name>+<key id>+<key>");
  }
  const [, , name, keyId] = parts;
  const typed = strictBase64(parts.slice(4).join("+"));
  if (!typed || typed.length !== 33 || typed[0] !== SIGNATURE_TYPE_ED25519) {
    malformedKey("the signer key is not an Ed25519 seed (type 0x01, 32 bytes)");
  }
  const privateKey = toPrivateKey(typed.subarray(1));
  if (!isValidKeyName(name) || keyIdOf(name, privateKey) !== keyId) {
    malformedKey("the signer key's name or key ID does not match its key");
  }
  return { name, privateKey };
}
