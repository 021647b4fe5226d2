// The verdict on an update package (U1, U2). For CMS/PKCS#7 it equals
// `openssl smime -verify -binary -inform DER|PEM -in FILE -CAfile TRUSTED -out CONTENT`:
// VERIFIED exactly when the signature is valid over the content, the signer's
// chain ends in a trusted certificate, and every certificate in it is valid at
// `at`. OpenPGP: a signed message, or any file with a detached signature, made
// by one of the installation's vendor keys. Pure: no database, no files.
//
// How each verdict maps to openssl's outcome: docs/update-packages.md.
import { cmsDer, parseSignedData, verifyCms } from "./cms";
import {
  hasSignaturePackets,
  isCleartextPgp,
  readPgpMessage,
  readPgpSignature,
  verifyPgp,
} from "./openpgp-package";
import { NOT_A_SIGNED_PACKAGE, reasons } from "./reasons";
import { sha256Hex } from "./x509-name";

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

function quarantined(
  format: TPackageFormat,
  reason: string,
  content: Uint8Array | null = null,
): TPackageVerdict {
  return {
    state: "QUARANTINED",
    format,
    reason,
    signer: null,
    content,
    contentSha256: content ? sha256Hex(content) : null,
  };
}

/**
 * The verdict on a package. Format by content, not by name: CMS (DER, PEM "PKCS7"/"CMS", S/MIME
 * application/pkcs7-mime), OpenPGP (armored or binary signed message); with `signature`: a
 * detached CMS or OpenPGP signature over `data`. Anything else: QUARANTINED, format "unknown",
 * reason "not a signed package".
 */
export async function verifyPackage(input: TVerifyInput): Promise<TPackageVerdict> {
  const common = {
    certificates: input.certificates,
    installationName: input.installationName,
    at: input.at,
  };
  if (input.signature && input.signature.length > 0) {
    const der = cmsDer(input.signature);
    const sd = der ? parseSignedData(der) : null;
    if (sd) return verifyCms({ ...common, sd, detachedContent: input.data, format: "detached" });
    const signature = await readPgpSignature(input.signature);
    if (signature)
      return verifyPgp({
        ...common,
        message: null,
        signature,
        data: input.data,
        format: "detached",
        pgpKeys: input.pgpKeys,
      });
    return quarantined("detached", reasons.unreadableSignature(), input.data);
  }
  const der = cmsDer(input.data);
  const sd = der ? parseSignedData(der) : null;
  if (sd) return verifyCms({ ...common, sd, detachedContent: null, format: "cms" });
  if (isCleartextPgp(input.data)) return quarantined("openpgp", reasons.cleartext());
  const message = await readPgpMessage(input.data);
  if (message && hasSignaturePackets(message))
    return verifyPgp({
      ...common,
      message,
      signature: null,
      data: null,
      format: "openpgp",
      pgpKeys: input.pgpKeys,
    });
  return quarantined("unknown", NOT_A_SIGNED_PACKAGE);
}
