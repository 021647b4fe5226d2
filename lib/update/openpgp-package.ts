// OpenPGP packages: a signed message (armored or binary), or any file with a detached OpenPGP
// signature, made by one of the installation's vendor keys (as `gpg --verify` with only those
// keys in the keyring). Cleartext-signed messages are refused. Pure.
import * as openpgp from "openpgp";
import { reasons } from "./reasons";
import { sha256Hex } from "./x509-name";
import type { TPackageFormat, TPackageVerdict, TSignerInfo } from "./verify-package";

const ARMOR = "-----BEGIN PGP ";

function head(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 256)).toString("latin1");
}

export function isArmoredPgp(bytes: Uint8Array): boolean {
  return head(bytes).trimStart().startsWith(ARMOR);
}

export function isCleartextPgp(bytes: Uint8Array): boolean {
  return head(bytes).trimStart().startsWith("-----BEGIN PGP SIGNED MESSAGE-----");
}

/** A binary OpenPGP message or signature starts with a packet tag (bit 7 set). */
export function looksLikeBinaryPgp(bytes: Uint8Array): boolean {
  return bytes.length > 2 && (bytes[0] & 0x80) !== 0;
}

/** The message, or null when the bytes are not an OpenPGP message. */
export async function readPgpMessage(
  bytes: Uint8Array,
): Promise<openpgp.Message<Uint8Array> | null> {
  try {
    if (isArmoredPgp(bytes)) {
      const m = await openpgp.readMessage({ armoredMessage: Buffer.from(bytes).toString("utf8") });
      return m as unknown as openpgp.Message<Uint8Array>;
    }
    if (!looksLikeBinaryPgp(bytes)) return null;
    return await openpgp.readMessage({ binaryMessage: bytes });
  } catch {
    return null;
  }
}

export async function readPgpSignature(bytes: Uint8Array): Promise<openpgp.Signature | null> {
  try {
    if (isArmoredPgp(bytes))
      return await openpgp.readSignature({ armoredSignature: Buffer.from(bytes).toString("utf8") });
    if (!looksLikeBinaryPgp(bytes)) return null;
    return await openpgp.readSignature({ binarySignature: bytes });
  } catch {
    return null;
  }
}

async function readKeys(armored: readonly string[]): Promise<openpgp.Key[]> {
  const keys: openpgp.Key[] = [];
  for (const a of armored) {
    try {
      keys.push(...(await openpgp.readKeys({ armoredKeys: a })));
    } catch {
      // an unreadable stored key trusts nothing
    }
  }
  return keys;
}

type TSigPacket = {
  issuerKeyID: openpgp.KeyID;
  issuerFingerprint?: Uint8Array | null;
};

/** Whether a message carries any signature (one-pass or not): otherwise it is not signed. */
export function hasSignaturePackets(message: openpgp.Message<Uint8Array>): boolean {
  const tags = [openpgp.enums.packet.signature, openpgp.enums.packet.onePassSignature];
  // gpg --sign compresses: the signature packets are inside the compressed data packet.
  const inner = message.unwrapCompressed();
  for (const p of inner.packets as unknown as Iterable<{ constructor: { tag?: number } }>) {
    if (p.constructor.tag !== undefined && tags.includes(p.constructor.tag)) return true;
  }
  return false;
}

function issuerLabel(p: TSigPacket): string {
  if (p.issuerFingerprint && p.issuerFingerprint.length)
    return Buffer.from(p.issuerFingerprint).toString("hex").toUpperCase();
  return p.issuerKeyID.toHex().toUpperCase();
}

async function keySigner(key: openpgp.Key): Promise<TSignerInfo> {
  const expiration = await key.getExpirationTime().catch(() => null);
  const primaryUser = await key.getPrimaryUser().catch(() => null);
  const userId =
    primaryUser?.user.userID?.userID ??
    key.users.find((u) => u.userID)?.userID?.userID ??
    key.getFingerprint().toUpperCase();
  return {
    subject: userId,
    issuer: `OpenPGP key ${key.getFingerprint().toUpperCase()}`,
    notAfter: expiration instanceof Date ? expiration : null,
  };
}

function keyFor(keys: openpgp.Key[], keyID: openpgp.KeyID): openpgp.Key | null {
  return keys.find((k) => k.getKeyIDs().some((id) => id.equals(keyID))) ?? null;
}

/** The verdict on an OpenPGP signed message, or on `data` with a detached `signature`. */
export async function verifyPgp(opts: {
  message: openpgp.Message<Uint8Array> | null;
  signature: openpgp.Signature | null;
  data: Uint8Array | null;
  format: TPackageFormat;
  pgpKeys: readonly string[];
  installationName: string;
  at: Date;
}): Promise<TPackageVerdict> {
  const { format } = opts;
  const detached = Boolean(opts.signature && opts.data);
  const message = detached
    ? await openpgp.createMessage({ binary: opts.data as Uint8Array })
    : opts.message;
  const keys = await readKeys(opts.pgpKeys);
  const none = { format, signer: null, content: opts.data, contentSha256: null };
  if (!message) return { ...none, state: "QUARANTINED", reason: reasons.pgpNoSignature() };
  let result: Awaited<ReturnType<typeof openpgp.verify<Uint8Array>>>;
  try {
    result = await openpgp.verify({
      message,
      signature: detached ? (opts.signature as openpgp.Signature) : undefined,
      verificationKeys: keys,
      format: "binary",
      date: opts.at,
    });
  } catch {
    return { ...none, state: "QUARANTINED", reason: reasons.contentChanged() };
  }
  const content = detached
    ? (opts.data as Uint8Array)
    : result.data instanceof Uint8Array
      ? result.data
      : null;
  const found = result.signatures.map((s) => ({ s, key: keyFor(keys, s.keyID) }));
  const signingKey = found.find((f) => f.key)?.key ?? null;
  const base = {
    format,
    signer: signingKey ? await keySigner(signingKey) : null,
    content,
    contentSha256: content ? sha256Hex(content) : null,
  };
  const refuse = (reason: string): TPackageVerdict => ({ ...base, state: "QUARANTINED", reason });

  if (result.signatures.length === 0) return refuse(reasons.pgpNoSignature());
  if (keys.length === 0) return refuse(reasons.noVendorKey(opts.installationName));
  if (!signingKey) {
    const first = result.signatures[0];
    const sig = await first.signature.catch(() => null);
    const packet = sig?.packets[0] as unknown as TSigPacket | undefined;
    return refuse(
      reasons.wrongKey(
        packet ? issuerLabel(packet) : first.keyID.toHex().toUpperCase(),
        opts.installationName,
      ),
    );
  }
  let lastError = "";
  for (const { s, key } of found) {
    if (!key) continue;
    try {
      await s.verified;
      return { ...base, state: "VERIFIED", reason: null };
    } catch (e) {
      lastError = (e as Error).message;
    }
  }
  if (
    /expired|revoked|not valid|Could not find valid/i.test(lastError) &&
    !/digest/i.test(lastError)
  )
    return refuse(reasons.pgpKeyUnusable(signingKey.getFingerprint().toUpperCase(), lastError));
  return refuse(reasons.contentChanged());
}
