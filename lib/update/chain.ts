// The signer's chain, built and checked the way OpenSSL 3.0's X509_verify_cert() does for
// `openssl smime -verify` (purpose "smime_sign", no flags), so that the portal's verdict equals
// openssl's. Pure. The steps and the error each one gives, in openssl's order:
//
// 1. Build: from the signer, look for each issuer first among the trusted certificates, then
//    among the package's certificates (an issuer: subject = the certificate's issuer name, and
//    its subject key identifier matches the authority key identifier when both are present;
//    one valid at `at` preferred). The chain must end in a trusted SELF-SIGNED certificate:
//    a trusted certificate that is not self-signed (an intermediate, or the signer itself) is
//    not an anchor (openssl: "unable to get (local) issuer certificate"; "self-signed
//    certificate" for an untrusted self-signed signer).
// 2. Extensions: an unknown critical extension; every certificate above the signer must be a
//    CA (basicConstraints CA:TRUE; keyUsage, if present, with keyCertSign; the anchor may also
//    be a v1 root) → "invalid CA certificate"; purpose smime_sign → "unsuitable certificate
//    purpose": the signer's extended key usage, if present, must include emailProtection and
//    its key usage, if present, digitalSignature or nonRepudiation; a CA's extended key usage,
//    if present, must include emailProtection.
// 3. From the anchor down to the signer: each certificate's signature by the one above (the
//    anchor's own is not checked) → "certificate signature failure"; then its dates, valid when
//    notBefore ≤ at < notAfter → "certificate is not yet valid" / "certificate has expired".
import { X509Certificate } from "node:crypto";
import * as pkijs from "pkijs";
import { formatName } from "./x509-name";

export type TChainCert = {
  cert: pkijs.Certificate;
  der: Uint8Array;
  x509: X509Certificate;
  subject: string;
  issuer: string;
  trusted: boolean;
};

export type TChainFailure =
  | { kind: "self-signed"; at: TChainCert } // openssl 18 / 19
  | { kind: "no-issuer"; at: TChainCert } // openssl 20 / 2
  | { kind: "invalid-ca"; at: TChainCert; depth: number } // 24
  | { kind: "purpose"; at: TChainCert; depth: number } // 26
  | { kind: "critical-extension"; at: TChainCert; depth: number } // 34
  | { kind: "bad-signature"; at: TChainCert; depth: number } // 7
  | { kind: "not-yet-valid"; at: TChainCert; depth: number; role: TRole } // 9
  | { kind: "expired"; at: TChainCert; depth: number; role: TRole }; // 10

export type TRole = "signer" | "intermediate" | "trusted";

export type TChainResult =
  { ok: true; chain: TChainCert[] } | { ok: false; failure: TChainFailure };

const OID = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
  authorityKeyIdentifier: "2.5.29.35",
  emailProtection: "1.3.6.1.5.5.7.3.4",
};

// The extensions openssl 3.0 understands (X509_supported_extension): a critical one outside
// this list fails the chain.
const SUPPORTED_CRITICAL = new Set([
  "2.16.840.1.113730.1.1", // nsCertType
  "2.5.29.15", // keyUsage
  "2.5.29.17", // subjectAltName
  "2.5.29.19", // basicConstraints
  "2.5.29.32", // certificatePolicies
  "2.5.29.37", // extKeyUsage
  "2.5.29.36", // policyConstraints
  "1.3.6.1.5.5.7.1.14", // proxyCertInfo
  "2.5.29.30", // nameConstraints
  "2.5.29.33", // policyMappings
  "2.5.29.54", // inhibitAnyPolicy
  "1.3.6.1.5.5.7.1.7", // sbgp-ipAddrBlock
  "1.3.6.1.5.5.7.1.8", // sbgp-autonomousSysNum
]);

export function chainCert(cert: pkijs.Certificate, der: Uint8Array, trusted: boolean): TChainCert {
  return {
    cert,
    der,
    x509: new X509Certificate(der),
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    trusted,
  };
}

function ext(c: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return c.extensions?.find((e) => e.extnID === oid);
}

function bytesEqual(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  return Buffer.from(a as ArrayBuffer).equals(Buffer.from(b as ArrayBuffer));
}

function skid(c: pkijs.Certificate): ArrayBuffer | null {
  const e = ext(c, OID.subjectKeyIdentifier);
  const parsed = e?.parsedValue as { valueBlock?: { valueHexView?: Uint8Array } } | undefined;
  return parsed?.valueBlock?.valueHexView ? toAb(parsed.valueBlock.valueHexView) : null;
}

function toAb(v: Uint8Array): ArrayBuffer {
  return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
}

/** openssl's X509_check_akid(): the issuer's SKID (and name/serial) agree with the AKID. */
function akidMatches(child: pkijs.Certificate, issuer: pkijs.Certificate): boolean {
  const e = ext(child, OID.authorityKeyIdentifier);
  const akid = e?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
  if (!akid) return true;
  if (akid.keyIdentifier) {
    const id = skid(issuer);
    if (id && !bytesEqual(akid.keyIdentifier.valueBlock.valueHexView, id)) return false;
  }
  if (akid.authorityCertSerialNumber) {
    if (
      !bytesEqual(
        akid.authorityCertSerialNumber.valueBlock.valueHexView,
        issuer.serialNumber.valueBlock.valueHexView,
      )
    )
      return false;
  }
  return true;
}

function likelyIssued(child: TChainCert, issuer: TChainCert): boolean {
  return child.cert.issuer.isEqual(issuer.cert.subject) && akidMatches(child.cert, issuer.cert);
}

/** openssl's EXFLAG_SS: issuer = subject and the AKID agrees (the signature is not checked). */
export function selfIssued(c: TChainCert): boolean {
  return likelyIssued(c, c);
}

function timeValid(c: pkijs.Certificate, at: Date): boolean {
  return c.notBefore.value.getTime() <= at.getTime() && at.getTime() < c.notAfter.value.getTime();
}

function findIssuer(child: TChainCert, pool: TChainCert[], used: TChainCert[], at: Date) {
  const candidates = pool.filter((c) => !used.includes(c) && likelyIssued(child, c));
  return candidates.find((c) => timeValid(c.cert, at)) ?? candidates.at(-1) ?? null;
}

type TBits = { keyUsage: number | null; eku: string[] | null; ca: boolean | null; v1: boolean };

// keyUsage BIT STRING, first byte: digitalSignature 0x80, nonRepudiation 0x40, keyCertSign 0x04.
const KU_DIGITAL_SIGNATURE = 0x80;
const KU_NON_REPUDIATION = 0x40;
const KU_KEY_CERT_SIGN = 0x04;

function bits(c: pkijs.Certificate): TBits {
  const ku = ext(c, OID.keyUsage)?.parsedValue as
    { valueBlock?: { valueHexView?: Uint8Array } } | undefined;
  const eku = ext(c, OID.extKeyUsage)?.parsedValue as pkijs.ExtKeyUsage | undefined;
  const bc = ext(c, OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  const kuBytes = ku?.valueBlock?.valueHexView;
  return {
    keyUsage: kuBytes ? (kuBytes[0] ?? 0) : ext(c, OID.keyUsage) ? 0 : null,
    eku: eku ? eku.keyPurposes : null,
    ca: bc ? Boolean(bc.cA) : null,
    v1: c.version === 0,
  };
}

/** openssl's check_ca(): 0 not a CA, 1 basicConstraints CA, 3 v1 root, 4 keyUsage only. */
function checkCa(c: TChainCert): number {
  const b = bits(c.cert);
  if (b.keyUsage !== null && (b.keyUsage & KU_KEY_CERT_SIGN) === 0) return 0;
  if (b.ca !== null) return b.ca ? 1 : 0;
  if (b.v1 && selfIssued(c)) return 3;
  if (b.keyUsage !== null) return 4;
  return 0;
}

function ekuRejectsSmime(b: TBits): boolean {
  return b.eku !== null && !b.eku.includes(OID.emailProtection);
}

/** Purpose smime_sign (openssl's check_purpose_smime_sign). */
function purposeOk(c: TChainCert, requireCa: boolean): boolean {
  const b = bits(c.cert);
  if (ekuRejectsSmime(b)) return false;
  if (requireCa) return checkCa(c) !== 0;
  if (b.keyUsage !== null && (b.keyUsage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) === 0)
    return false;
  return true;
}

function roleOf(depth: number, length: number): TRole {
  if (depth === length - 1 && length > 0) return "trusted";
  return depth === 0 ? "signer" : "intermediate";
}

/** Builds and checks the signer's chain at `at`; the first failure as openssl would report it. */
export function verifyChain(
  signer: TChainCert,
  packageCerts: TChainCert[],
  trustedCerts: TChainCert[],
  at: Date,
): TChainResult {
  // 1. Build.
  const leafTrusted = trustedCerts.find((t) => bytesEqual(t.der, signer.der));
  const chain: TChainCert[] = [leafTrusted && selfIssued(leafTrusted) ? leafTrusted : signer];
  for (let guard = 0; guard < 100; guard++) {
    const top = chain[chain.length - 1];
    if (selfIssued(top)) {
      if (top.trusted) break;
      return { ok: false, failure: { kind: "self-signed", at: top } };
    }
    const issuer =
      findIssuer(top, trustedCerts, chain, at) ??
      (top.trusted ? null : findIssuer(top, packageCerts, chain, at));
    if (!issuer) return { ok: false, failure: { kind: "no-issuer", at: top } };
    chain.push(issuer);
  }
  const n = chain.length;
  // 2. Extensions, CA-ness and purpose, from the signer up.
  for (let i = 0; i < n; i++) {
    const c = chain[i];
    const critical = c.cert.extensions?.find(
      (e) => e.critical && !SUPPORTED_CRITICAL.has(e.extnID),
    );
    if (critical) return { ok: false, failure: { kind: "critical-extension", at: c, depth: i } };
    if (i > 0) {
      const ca = checkCa(c);
      if (ca === 0 || (i + 1 < n && ca !== 1))
        return { ok: false, failure: { kind: "invalid-ca", at: c, depth: i } };
    }
    if (!purposeOk(c, i > 0)) return { ok: false, failure: { kind: "purpose", at: c, depth: i } };
  }
  // 3. Signatures and dates, from the anchor down.
  for (let i = n - 1; i >= 0; i--) {
    const c = chain[i];
    if (i < n - 1) {
      let good = false;
      try {
        good = c.x509.verify(chain[i + 1].x509.publicKey);
      } catch {
        good = false;
      }
      if (!good) return { ok: false, failure: { kind: "bad-signature", at: c, depth: i } };
    }
    const role = roleOf(i, n);
    if (c.cert.notBefore.value.getTime() > at.getTime())
      return { ok: false, failure: { kind: "not-yet-valid", at: c, depth: i, role } };
    if (c.cert.notAfter.value.getTime() <= at.getTime())
      return { ok: false, failure: { kind: "expired", at: c, depth: i, role } };
  }
  return { ok: true, chain };
}
