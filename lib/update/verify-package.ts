// The verdict on an update package (U1, U2). For CMS/PKCS#7 it equals
// `openssl smime -verify -binary -inform DER|PEM -in FILE -CAfile TRUSTED -out CONTENT`:
// VERIFIED exactly when the signature is valid over the content, the signer's
// chain ends in a trusted certificate, and every certificate in it is valid at
// `at`. OpenPGP: a signed message, or any file with a detached signature, made
// by one of the installation's vendor keys. Pure: no database, no files.
//
// CONTRACT (implemented by the verification helper; see docs/update-packages.md):

export type TPackageFormat = "cms" | "openpgp" | "detached" | "unknown";

export type TSignerInfo = { subject: string; issuer: string; notAfter: Date | null };

export type TPackageVerdict = {
  state: "VERIFIED" | "QUARANTINED";
  format: TPackageFormat;
  /** Null when VERIFIED; otherwise words an admin can act on (docs/update-packages.md). */
  reason: string | null;
  /** The signer as the package names it (CMS: the signer certificate; OpenPGP: the key's user ID). */
  signer: TSignerInfo | null;
  /** The signed content (openssl's -out), when it could be read, verified or not. */
  content: Uint8Array | null;
  contentSha256: string | null;
};

export type TVerifyInput = {
  /** The file as received. */
  data: Uint8Array;
  /** A detached signature that came with it (armored or binary OpenPGP, or CMS detached). */
  signature?: Uint8Array | null;
  /** Trusted X.509 certificates, DER. */
  certificates: readonly Uint8Array[];
  /** Trusted vendor OpenPGP public keys, armored. */
  pgpKeys: readonly string[];
  /** The installation's name, for the reason's "Installations → <name> → Trusted certificates". */
  installationName: string;
  at: Date;
};

export declare function verifyPackage(input: TVerifyInput): Promise<TPackageVerdict>;
