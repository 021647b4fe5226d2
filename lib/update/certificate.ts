// A trusted certificate as the portal shows it (U3). Pure.
// CONTRACT (implemented by the verification helper):

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

/** Reads one X.509 certificate, PEM or DER; throws AppError VALIDATION with a clear message otherwise. */
export declare function readCertificate(bytes: Uint8Array): TCertificateFacts;

/** `openssl x509 -enddate`'s date format: "Mon DD HH:MM:SS YYYY GMT" (day padded with a space). */
export declare function opensslDate(d: Date): string;
