// CMS/PKCS#7 SignedData packages, read and checked with pkijs as `openssl smime -verify -binary`
// checks them (PKCS7_verify in OpenSSL 3.0), in its order: any signature at all; the content;
// each signer's certificate among the package's certificates; each signer's chain
// (chain.ts); then each signature over the content (with signed attributes: the message digest
// of the content, and the signature over the attributes). Pure.
import { createHash, verify as verifySignature } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { parseCertificate } from "./certificate";
import { chainCert, verifyChain, type TChainCert } from "./chain";
import { reasons } from "./reasons";
import { formatName, looksLikePem, pemBlocks, sha256Hex, toArrayBuffer } from "./x509-name";
import type { TPackageFormat, TPackageVerdict, TSignerInfo } from "./verify-package";

const CMS_PEM_LABELS = new Set(["PKCS7", "CMS", "PKCS #7 SIGNED DATA"]);

/** The DER inside S/MIME (application/pkcs7-mime, base64) when the bytes are such a message. */
function smimeDer(bytes: Uint8Array): Uint8Array | null {
  const text = Buffer.from(bytes.subarray(0, 64 * 1024)).toString("latin1");
  if (!/^(MIME-Version|Content-Type):/im.test(text.slice(0, 2048))) return null;
  const all = Buffer.from(bytes).toString("latin1");
  const split = all.search(/\r?\n\r?\n/);
  if (split < 0) return null;
  const headers = all.slice(0, split);
  if (!/content-type:\s*application\/(x-)?pkcs7-mime/i.test(headers)) return null;
  if (!/content-transfer-encoding:\s*base64/i.test(headers)) return null;
  return new Uint8Array(Buffer.from(all.slice(split).replace(/\s+/g, ""), "base64"));
}

/** The DER a CMS package holds: itself, its PEM block, or its S/MIME body; null otherwise. */
export function cmsDer(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length > 0 && bytes[0] === 0x30) return bytes;
  if (looksLikePem(bytes)) {
    const block = pemBlocks(Buffer.from(bytes).toString("latin1")).find((b) =>
      CMS_PEM_LABELS.has(b.label),
    );
    return block ? block.der : null;
  }
  return smimeDer(bytes);
}

export type TParsedCms = { sd: pkijs.SignedData };

// Universal types openssl's decoder checks by content (asn1_ex_c2i): a BOOLEAN of one byte, an
// empty NULL, a non-empty INTEGER/ENUMERATED/OBJECT IDENTIFIER; and only BIT STRING and OCTET
// STRING may be constructed (BER), besides SEQUENCE and SET.
const CONSTRUCTED_OK = new Set([3, 4, 16, 17]);

/** Whether openssl's ASN.1 decoder would accept every element asn1js read. */
function opensslReads(block: asn1js.AsnType): boolean {
  const b = block as asn1js.BaseBlock & {
    idBlock: { tagClass: number; tagNumber: number; isConstructed: boolean };
    lenBlock: { length: number };
    valueBlock: { value?: unknown; valueHexView?: Uint8Array; error?: string };
    error?: string;
  };
  if (b.error || b.valueBlock?.error) return false;
  const { tagClass, tagNumber, isConstructed } = b.idBlock;
  if (tagClass === 1) {
    if (isConstructed && !CONSTRUCTED_OK.has(tagNumber)) return false;
    const size = b.valueBlock.valueHexView?.byteLength ?? b.lenBlock.length;
    if (tagNumber === 1 && size !== 1) return false;
    if (tagNumber === 5 && size !== 0) return false;
    if ((tagNumber === 2 || tagNumber === 6 || tagNumber === 10) && size === 0) return false;
  }
  const children = b.valueBlock?.value;
  // (An OBJECT IDENTIFIER's value is an array too: of sub-identifiers, not elements.)
  if (isConstructed && Array.isArray(children))
    return children.every((c) => opensslReads(c as asn1js.AsnType));
  return true;
}

// PKCS#7 content types openssl parses by their own structure: as a SignedData's content, only
// id-data (an OCTET STRING) or a type it does not know (read as is) can be read.
const PKCS7_STRUCTURED = new Set([
  "1.2.840.113549.1.7.2",
  "1.2.840.113549.1.7.3",
  "1.2.840.113549.1.7.4",
  "1.2.840.113549.1.7.5",
  "1.2.840.113549.1.7.6",
]);

/** A SignedData ContentInfo, or null when the DER is anything else. */
export function parseSignedData(der: Uint8Array): pkijs.SignedData | null {
  try {
    const asn = asn1js.fromBER(toArrayBuffer(der));
    if (asn.offset === -1) return null;
    // asn1js tolerates inconsistent lengths inside (openssl: "too long", "nested asn1 error"):
    // what it read must encode back to exactly the bytes it read (trailing bytes are ignored,
    // as openssl's reader ignores them).
    const again = Buffer.from(asn.result.toBER(false));
    if (!again.equals(Buffer.from(der.subarray(0, asn.offset)))) return null;
    if (!opensslReads(asn.result)) return null;
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return null;
    const sd = new pkijs.SignedData({ schema: info.content });
    if (PKCS7_STRUCTURED.has(sd.encapContentInfo.eContentType)) return null;
    const e = sd.encapContentInfo.eContent;
    if (e && !(e instanceof asn1js.OctetString)) return null;
    return sd;
  } catch {
    return null;
  }
}

/** The attached content, byte for byte (a constructed OCTET STRING's pieces joined). */
export function attachedContent(sd: pkijs.SignedData): Uint8Array | null {
  const e = sd.encapContentInfo?.eContent;
  if (!e) return null;
  return new Uint8Array(e.getValue());
}

function packageCertificates(sd: pkijs.SignedData): TChainCert[] {
  const out: TChainCert[] = [];
  for (const c of sd.certificates ?? []) {
    if (!(c instanceof pkijs.Certificate)) continue;
    try {
      out.push(chainCert(c, new Uint8Array(c.toSchema().toBER(false)), false));
    } catch {
      // A certificate Node cannot read cannot be in a chain either.
    }
  }
  return out;
}

export function trustedCertificates(ders: readonly Uint8Array[]): TChainCert[] {
  const out: TChainCert[] = [];
  for (const der of ders) {
    const c = parseCertificate(der);
    if (!c) continue;
    try {
      out.push(chainCert(c, der, true));
    } catch {
      // unreadable: trusts nothing
    }
  }
  return out;
}

function findSigner(si: pkijs.SignerInfo, certs: TChainCert[]): TChainCert | null {
  const sid = si.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return (
      certs.find(
        (c) => c.cert.issuer.isEqual(sid.issuer) && c.cert.serialNumber.isEqual(sid.serialNumber),
      ) ?? null
    );
  }
  const id = Buffer.from((sid as asn1js.OctetString).valueBlock.valueHexView);
  return (
    certs.find((c) => {
      const e = c.cert.extensions?.find((x) => x.extnID === "2.5.29.14");
      const v = (e?.parsedValue as asn1js.OctetString | undefined)?.valueBlock.valueHexView;
      return v ? Buffer.from(v).equals(id) : false;
    }) ?? null
  );
}

function signerInfo(c: TChainCert): TSignerInfo {
  return {
    subject: formatName(c.cert.subject),
    issuer: formatName(c.cert.issuer),
    notAfter: c.cert.notAfter.value,
  };
}

// Digest algorithms openssl 3.0 fetches for a PKCS7 (its default provider), by OID.
const DIGESTS: Record<string, string> = {
  "1.2.840.113549.2.5": "md5",
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
  "2.16.840.1.101.3.4.2.5": "sha512-224",
  "2.16.840.1.101.3.4.2.6": "sha512-256",
  "2.16.840.1.101.3.4.2.7": "sha3-224",
  "2.16.840.1.101.3.4.2.8": "sha3-256",
  "2.16.840.1.101.3.4.2.9": "sha3-384",
  "2.16.840.1.101.3.4.2.10": "sha3-512",
};

const MESSAGE_DIGEST = "1.2.840.113549.1.9.4";

type TSignatureCheck = "ok" | "digest" | "signature" | "no-message-digest";

/**
 * One SignerInfo's signature, as PKCS7_signatureVerify() checks it: with signed attributes, the
 * content's digest must equal the messageDigest attribute and the signature must verify over
 * the attributes (DER, as a SET); without, over the content. Like openssl, the signature
 * algorithm is the signer key's (RSA PKCS#1 v1.5, ECDSA) with the SignerInfo's digest: the
 * SignerInfo's signatureAlgorithm field is not consulted.
 */
function checkSignature(
  si: pkijs.SignerInfo,
  signer: TChainCert,
  content: Uint8Array,
): TSignatureCheck {
  const digest = DIGESTS[si.digestAlgorithm.algorithmId];
  let data: Uint8Array = content;
  const attrs = si.signedAttrs?.attributes ?? [];
  if (si.signedAttrs && attrs.length > 0) {
    const md = attrs.find((a) => a.type === MESSAGE_DIGEST)?.values[0] as
      asn1js.OctetString | undefined;
    if (!md?.valueBlock?.valueHexView) return "no-message-digest";
    const actual = createHash(digest).update(content).digest();
    if (!actual.equals(Buffer.from(md.valueBlock.valueHexView))) return "digest";
    data = new Uint8Array(si.signedAttrs.encodedValue);
  }
  try {
    const good = verifySignature(
      digest,
      data,
      signer.x509.publicKey,
      Buffer.from(si.signature.valueBlock.valueHexView),
    );
    return good ? "ok" : "signature";
  } catch {
    return "signature";
  }
}

/** The verdict on a CMS SignedData (attached, or detached over `detachedContent`). */
export async function verifyCms(opts: {
  sd: pkijs.SignedData;
  detachedContent: Uint8Array | null;
  format: TPackageFormat;
  certificates: readonly Uint8Array[];
  installationName: string;
  at: Date;
}): Promise<TPackageVerdict> {
  const { sd, format } = opts;
  const attached = attachedContent(sd);
  const content = attached ?? opts.detachedContent;
  const certs = packageCertificates(sd);
  const signers = sd.signerInfos.map((si) => findSigner(si, certs));
  const first = signers.find((s) => s !== null) ?? null;
  const base = {
    format,
    signer: first ? signerInfo(first) : null,
    content,
    contentSha256: content ? sha256Hex(content) : null,
  };
  const refuse = (reason: string): TPackageVerdict => ({ ...base, state: "QUARANTINED", reason });

  if (!content) return refuse(reasons.noContent());
  if (sd.signerInfos.length === 0) return refuse(reasons.noSignature());
  if (signers.some((s) => s === null)) return refuse(reasons.signerNotFound());
  // openssl smime reads PKCS#7, whose signers are named by issuer and serial number only.
  if (sd.signerInfos.some((si) => !(si.sid instanceof pkijs.IssuerAndSerialNumber)))
    return refuse(reasons.signerByKeyId());
  const trusted = trustedCertificates(opts.certificates);
  for (const s of signers as TChainCert[]) {
    if (trusted.length === 0) return refuse(reasons.noTrustedCertificates(opts.installationName));
    const chain = verifyChain(s, certs, trusted, opts.at);
    if (!chain.ok) return refuse(reasons.certificate(chain.failure, opts.installationName));
  }
  // Reading the content digests it with every algorithm the SignedData lists (openssl fails on
  // one it does not know); each signer's digest must be among them.
  const listed = sd.digestAlgorithms.map((a) => a.algorithmId);
  const unknown = listed.find((oid) => !DIGESTS[oid]);
  if (unknown) return refuse(reasons.unknownDigest(unknown));
  for (let i = 0; i < sd.signerInfos.length; i++) {
    const si = sd.signerInfos[i];
    if (!listed.includes(si.digestAlgorithm.algorithmId))
      return refuse(reasons.unknownDigest(si.digestAlgorithm.algorithmId));
    const check = checkSignature(si, signers[i] as TChainCert, content);
    if (check === "no-message-digest")
      return refuse(reasons.unreadableCms("its signed attributes carry no message digest"));
    if (check !== "ok") return refuse(reasons.contentChanged());
  }
  return { ...base, state: "VERIFIED", reason: null };
}
