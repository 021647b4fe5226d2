// The reasons a package is quarantined (U2): words an administrator can act on. Pure.
// docs/update-packages.md ("How each verdict maps to openssl") lists which openssl outcome
// gives which of these.
import { opensslDate } from "./certificate";
import type { TChainFailure } from "./chain";

export const NOT_A_SIGNED_PACKAGE = "not a signed package";

const where = (installation: string) => `Installations → ${installation} → Trusted certificates`;

export const reasons = {
  notSigned: () => NOT_A_SIGNED_PACKAGE,

  untrusted: (subject: string, issuer: string, installation: string) =>
    `The package was signed by ${subject}, issued by ${issuer}, which your trusted certificate does not vouch for. Your trusted certificate is probably not the current one: get the vendor's current certificate and replace it under ${where(installation)}.`,

  noTrustedCertificates: (installation: string) =>
    `This installation trusts no certificate yet: add the vendor's certificate under ${where(installation)}.`,

  contentChanged: () =>
    "The content does not match its signature: the package was changed after it was signed (or damaged in transit). Do not use it; get the package again from the vendor.",

  noSignature: () =>
    "The package carries no signature: it holds content but nobody signed it (the signature was stripped or never made). Do not use it; get the signed package from the vendor.",

  signerNotFound: () =>
    "The package does not carry its signer certificate, so its signature cannot be checked. Ask the vendor for a package signed with the certificate included (openssl smime -sign includes it by default).",

  noContent: () =>
    "The package is a detached signature without its file: upload the file as the package and this signature in the signature field.",

  unknownDigest: (oid: string) =>
    `The package names a digest algorithm openssl does not know (${oid}), so its signature cannot be checked: the package was damaged or made by an unusual tool. Get the package again from the vendor.`,

  signerByKeyId: () =>
    "The package names its signer by key identifier (a CMS feature that openssl smime -verify, the check Patchgate matches, cannot read). Ask the vendor for a package made with openssl smime -sign.",

  unreadableCms: (what: string) =>
    `The package looks like a CMS/PKCS#7 signed package but cannot be read (${what}). Get the package again from the vendor.`,

  certificate(f: TChainFailure, installation: string): string {
    const c = f.at;
    switch (f.kind) {
      case "self-signed":
      case "no-issuer":
        return reasons.untrusted(c.subject, c.issuer, installation);
      case "expired": {
        const when = opensslDate(c.cert.notAfter.value);
        if (f.role === "trusted")
          return `Your trusted certificate ${c.subject} expired on ${when}. Replace it with the vendor's current certificate under ${where(installation)}, then verify the package again.`;
        if (f.role === "intermediate")
          return `The intermediate certificate ${c.subject} in the package's chain expired on ${when}. Ask the vendor for a package signed with a current certificate chain.`;
        return `The signer certificate ${c.subject} (issued by ${c.issuer}) expired on ${when}. Ask the vendor for a package signed with a current certificate.`;
      }
      case "not-yet-valid": {
        const when = opensslDate(c.cert.notBefore.value);
        const who =
          f.role === "trusted"
            ? `Your trusted certificate ${c.subject}`
            : f.role === "intermediate"
              ? `The intermediate certificate ${c.subject}`
              : `The signer certificate ${c.subject} (issued by ${c.issuer})`;
        return `${who} is not valid before ${when}. Check this server's clock; if it is right, verify the package again from that date or ask the vendor for a package signed with a certificate valid today.`;
      }
      case "purpose":
        return f.depth === 0
          ? `The signer certificate ${c.subject} is not meant for signing packages (its key usage or extended key usage does not allow S/MIME signing: unsuitable certificate purpose). Ask the vendor for a package signed with their update-signing certificate.`
          : `The CA certificate ${c.subject} in the chain does not allow S/MIME signing (unsuitable certificate purpose). Ask the vendor for their current certificate chain.`;
      case "invalid-ca":
        return `The certificate ${c.subject} sits in the chain as a CA but is not a CA certificate (basicConstraints or key usage). ${f.depth === 0 ? "" : "If it is your trusted certificate, replace it with the vendor's CA certificate; otherwise ask the vendor for a correct chain."}`.trim();
      case "critical-extension":
        return `The certificate ${c.subject} carries a critical extension openssl does not understand, so the chain cannot be accepted. Ask the vendor for a standard certificate.`;
      case "bad-signature":
        return `The certificate ${c.subject} claims to be issued by ${c.issuer}, but its signature does not match that certificate. Your trusted certificate is probably not the current one: get the vendor's current certificate and replace it under ${where(installation)}.`;
    }
  },

  // OpenPGP
  noVendorKey: (installation: string) =>
    `This installation has no vendor OpenPGP key yet: add the vendor's OpenPGP public key under Installations → ${installation} → Trusted certificates.`,

  wrongKey: (fingerprint: string, installation: string) =>
    `The package was signed with key ${fingerprint}, which is not one of this installation's vendor keys. If the vendor changed its key, add the new public key under Installations → ${installation} → Trusted certificates (check its fingerprint with the vendor first); otherwise do not use the package.`,

  pgpNoSignature: () =>
    "The OpenPGP message carries no signature: nobody signed it. Do not use it; get the signed package from the vendor.",

  pgpKeyUnusable: (fingerprint: string, why: string) =>
    `The package was signed with vendor key ${fingerprint}, but that key cannot be used: ${why}. Get the vendor's current key.`,

  cleartext: () =>
    "The package is a cleartext-signed OpenPGP message, which Patchgate does not accept (what is verified may differ from what is shown). Ask the vendor for a binary signed message or a detached signature.",

  unreadableSignature: () =>
    "The signature that came with the package is neither an OpenPGP signature nor a CMS/PKCS#7 signature. Upload the vendor's signature file (.sig, .asc or .p7s).",
};
