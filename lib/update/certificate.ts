// A trusted certificate as the portal shows it (U3). Pure.
import { X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { AppError } from "../errors";
import { formatName, looksLikePem, pemBlocks, sha256Hex, toArrayBuffer } from "./x509-name";

export type TCertificateFacts = {
  /** RFC 4514-style, as @peculiar/x509 prints it (e.g. "CN=c-works software update, O=c-works"). */
  subject: string;
  issuer: string;
  /** SHA-256 of the DER, lowercase hex. */
  sha256: string;
  notBefore: Date;
  notAfter: Date;
  /** As `openssl x509 -noout -enddate` prints it: "Jun 15 18:18:53 2032 GMT". */
  notAfterText: string;
  selfSigned: boolean;
  der: Uint8Array;
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `openssl x509 -enddate`'s date format: "Mon DD HH:MM:SS YYYY GMT" (day padded with a space). */
export function opensslDate(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  const day = String(d.getUTCDate()).padStart(2, " ");
  const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${time} ${d.getUTCFullYear()} GMT`;
}

function refuse(message: string): never {
  throw new AppError("VALIDATION", message);
}

const NOT_A_CERTIFICATE =
  "This is not an X.509 certificate: expected a PEM file (-----BEGIN CERTIFICATE-----) or a DER certificate (.cer, .crt, .der) as the vendor ships it.";

/** The DER of the one certificate in PEM or DER bytes; refuses keys, bundles and anything else. */
export function certificateDer(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) refuse("The certificate file is empty.");
  if (looksLikePem(bytes)) {
    const text = Buffer.from(bytes).toString("latin1");
    const blocks = pemBlocks(text);
    if (blocks.some((b) => /PRIVATE KEY/.test(b.label)))
      refuse(
        "This file holds a private key. Never upload it: upload the vendor's certificate (-----BEGIN CERTIFICATE-----) only.",
      );
    const certs = blocks.filter((b) => b.label === "CERTIFICATE" || b.label === "X509 CERTIFICATE");
    if (certs.length === 0) refuse(NOT_A_CERTIFICATE);
    if (certs.length > 1)
      refuse(
        `This file holds ${certs.length} certificates; upload the vendor's certificates one at a time.`,
      );
    return certs[0].der;
  }
  return bytes;
}

/** The certificate parsed by pkijs, or null when the DER is not one. */
export function parseCertificate(der: Uint8Array): pkijs.Certificate | null {
  try {
    const asn = asn1js.fromBER(toArrayBuffer(der));
    if (asn.offset === -1 || asn.offset !== der.byteLength) return null;
    return new pkijs.Certificate({ schema: asn.result });
  } catch {
    return null;
  }
}

/**
 * Issuer and subject equal and the certificate's own key verifies its signature (as openssl
 * calls a certificate self-signed: its key usage does not matter).
 */
export function isSelfSigned(der: Uint8Array): boolean {
  try {
    const c = new X509Certificate(der);
    return c.subject === c.issuer && c.verify(c.publicKey);
  } catch {
    return false;
  }
}

/** Reads one X.509 certificate, PEM or DER; throws AppError VALIDATION with a clear message otherwise. */
export function readCertificate(bytes: Uint8Array): TCertificateFacts {
  const der = certificateDer(bytes);
  const cert = parseCertificate(der);
  if (!cert) refuse(NOT_A_CERTIFICATE);
  const notBefore = cert.notBefore.value;
  const notAfter = cert.notAfter.value;
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    sha256: sha256Hex(der),
    notBefore,
    notAfter,
    notAfterText: opensslDate(notAfter),
    selfSigned: isSelfSigned(der),
    der: new Uint8Array(der),
  };
}
