// The facts the portal records about a server certificate (S3): what the
// HTTPS check saw and what an ACME certificate says. Pure (node:crypto, pkijs).
import { X509Certificate } from "node:crypto";
import { parseCertificate } from "../update/certificate";
import { formatName, pemBlocks, sha256Hex } from "../update/x509-name";

export type TCertificateFacts = {
  /** "CN=…, O=…" as the portal prints names elsewhere (lib/update/x509-name.ts). */
  subject: string;
  /** subjectAltName entries as openssl prints them: "DNS:localhost", "IP Address:127.0.0.1". */
  sans: string[];
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, lowercase hex without colons. */
  sha256: string;
};

/** The subjectAltName entries, split on the ", " node puts between them. */
export function subjectAltNames(cert: X509Certificate): string[] {
  const text = cert.subjectAltName;
  if (!text) return [];
  // Node quotes an entry holding a comma as JSON ("DNS:\"a,b\""); split outside quotes.
  return (text.match(/(?:[^,"]|"(?:\\.|[^"\\])*")+/g) ?? []).map((s) => s.trim()).filter(Boolean);
}

/** The facts of one DER certificate, or null when it is not one. */
export function certificateFacts(der: Uint8Array): TCertificateFacts | null {
  const cert = parseCertificate(der);
  if (!cert) return null;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return null;
  }
  return {
    subject: formatName(cert.subject),
    sans: subjectAltNames(x509),
    issuer: formatName(cert.issuer),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    sha256: sha256Hex(der),
  };
}

/** The certificates of PEM text, as DER, in order (other blocks are ignored). */
export function pemCertificates(text: string): Uint8Array[] {
  return pemBlocks(text)
    .filter((b) => b.label === "CERTIFICATE" || b.label === "X509 CERTIFICATE")
    .map((b) => b.der);
}

/** The facts as JSON (dates as ISO strings), for evidence rows and answers. */
export function factsJson(f: TCertificateFacts) {
  return {
    subject: f.subject,
    sans: f.sans,
    issuer: f.issuer,
    notBefore: f.notBefore.toISOString(),
    notAfter: f.notAfter.toISOString(),
    sha256: f.sha256,
  };
}
