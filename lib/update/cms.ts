// CMS/PKCS#7 SignedData packages, read and checked with pkijs as `openssl smime -verify -binary`
// checks them (PKCS7_verify in OpenSSL 3.0), in its order: any signature at all; the content;
// each signer's certificate among the package's certificates; each signer's chain
// (chain.ts); then each signature over the content (with signed attributes: the message digest
// of the content, and the signature over the attributes). Pure.
import { webcrypto } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { parseCertificate } from "./certificate";
import { chainCert, verifyChain, type TChainCert } from "./chain";
import { reasons } from "./reasons";
import { formatName, looksLikePem, pemBlocks, sha256Hex, toArrayBuffer } from "./x509-name";
import type { TPackageFormat, TPackageVerdict, TSignerInfo } from "./verify-package";

let engineSet = false;
function ensureEngine() {
  if (engineSet) return;
  pkijs.setEngine(
    "node-webcrypto",
    new pkijs.CryptoEngine({ name: "node-webcrypto", crypto: webcrypto as unknown as Crypto }),
  );
  engineSet = true;
}

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

/** A SignedData ContentInfo, or null when the DER is anything else. */
export function parseSignedData(der: Uint8Array): pkijs.SignedData | null {
  try {
    const asn = asn1js.fromBER(toArrayBuffer(der));
    if (asn.offset === -1) return null;
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return null;
    return new pkijs.SignedData({ schema: info.content });
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

async function signatureMatches(
  sd: pkijs.SignedData,
  index: number,
  detached: Uint8Array | null,
): Promise<boolean> {
  try {
    const r = await sd.verify({
      signer: index,
      data: detached ? toArrayBuffer(detached) : undefined,
      checkChain: false,
      extendedMode: true,
    });
    return r.signatureVerified === true;
  } catch {
    return false;
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
  ensureEngine();
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

  if (sd.signerInfos.length === 0) return refuse(reasons.noSignature());
  if (!content) return refuse(reasons.noContent());
  if (signers.some((s) => s === null)) return refuse(reasons.signerNotFound());
  const trusted = trustedCertificates(opts.certificates);
  for (const s of signers as TChainCert[]) {
    if (trusted.length === 0) return refuse(reasons.noTrustedCertificates(opts.installationName));
    const chain = verifyChain(s, certs, trusted, opts.at);
    if (!chain.ok) return refuse(reasons.certificate(chain.failure, opts.installationName));
  }
  for (let i = 0; i < sd.signerInfos.length; i++) {
    if (!(await signatureMatches(sd, i, attached ? null : content)))
      return refuse(reasons.contentChanged());
  }
  return { ...base, state: "VERIFIED", reason: null };
}
