import { z } from "zod";
import { sha256Hex } from "../crypto/hash";
import { PACKAGE_STATEMENT_KINDS } from "../domain/package-statements";
import { keyFile, signatureFile } from "./layout";
import {
  ZAccount,
  ZBundleAudit,
  ZBundleFiles,
  ZBundleKeys,
  ZBundleLog,
  ZBundleSigner,
  ZFingerprint,
  ZInstant,
  ZSha256,
} from "./bundle-manifest";
import { text, writeCommonParts, writeManifest } from "./seal-bundle";
import { ZDossierPath, type TEventLine, type THead } from "./manifest";

// The evidence bundle of one update package (U1–U5): the file as received (and
// its detached signature), the content it carries, every verdict with the
// trusted certificates and vendor keys it was checked against, the installation,
// the update record with its steps and evidence, every signed statement with its
// signer's key, and the audit events chained to the head. Sealed by the portal
// like a patch's dossier (manifest.json.asc) and checked by the same
// `patchgate verify`, which tells the kinds apart by the manifest's format and
// re-runs the package's verification offline.

export const PACKAGE_BUNDLE_FORMAT = "patchgate-package-bundle v1";
export const PACKAGE_VERDICTS = "verdict.json";
export const PACKAGE_UPDATE = "update.json";

export const packageBundleRoot = (id: string) => `package-${id}`;
export const packageBundleFileName = (id: string) => `package-${id}-evidence.tar.gz`;

/** A received file's name as a plain path segment (the name itself is in the manifest). */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const safe = base.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[._]+/, "");
  return safe.slice(0, 120) || "package";
}
export const packageFile = (name: string) => `package/${safeFileName(name)}`;
/** The content's name: the file's, without the `.signed` the vendor adds. */
export const contentFile = (name: string) =>
  `content/${safeFileName(name).replace(/\.signed$/i, "") || "content"}`;
export const certificateFile = (sha256: string) => `certificates/${sha256}.pem`;
export const vendorKeyFile = (fingerprint: string) => `vendor-keys/${fingerprint}.asc`;

const ZMode = z.enum(["AUTOMATIC", "SEMI_AUTOMATIC", "MANUAL"]);
const ZState = z.enum(["VERIFIED", "QUARANTINED"]);
const ZSigner = z.strictObject({
  subject: z.string(),
  issuer: z.string(),
  notAfter: ZInstant.nullable(),
});

export const ZPackageBundleManifest = z.strictObject({
  format: z.literal(PACKAGE_BUNDLE_FORMAT),
  exportedAt: ZInstant,
  portal: z.strictObject({ fingerprint: ZFingerprint, key: ZDossierPath }),
  installation: z.strictObject({
    id: z.string().min(1),
    slug: z.string().min(1),
    name: z.string(),
    product: z.string(),
    mode: ZMode,
    enterprise: z.boolean(),
  }),
  package: z.strictObject({
    id: z.string().min(1),
    fileName: z.string(),
    channel: z.enum(["BROWSER", "API", "INBOX"]),
    format: z.enum(["cms", "openpgp", "detached", "unknown"]),
    bytes: z.number().int().min(0),
    sha256: ZSha256,
    file: ZDossierPath,
    signature: z.strictObject({ file: ZDossierPath, sha256: ZSha256 }).nullable(),
    content: z.strictObject({ file: ZDossierPath, sha256: ZSha256 }).nullable(),
    state: ZState,
    reason: z.string().nullable(),
    signer: ZSigner.nullable(),
    receivedAt: ZInstant,
    uploadedBy: ZAccount.nullable(),
  }),
  verdicts: ZDossierPath,
  certificates: z.array(
    z.strictObject({
      sha256: ZSha256,
      subject: z.string(),
      issuer: z.string(),
      notBefore: ZInstant,
      notAfter: ZInstant,
      file: ZDossierPath,
    }),
  ),
  vendorKeys: z.array(z.strictObject({ fingerprint: ZFingerprint, file: ZDossierPath })),
  update: ZDossierPath.nullable(),
  statements: z.array(
    z.strictObject({
      id: z.string().min(1),
      file: ZDossierPath,
      signature: ZDossierPath,
      kind: z.enum(PACKAGE_STATEMENT_KINDS),
      /** The checklist step a package-step ticks. */
      step: z.number().int().min(1).optional(),
      signer: ZBundleSigner,
      fingerprint: ZFingerprint,
      key: ZDossierPath,
      receivedAt: ZInstant,
    }),
  ),
  keys: ZBundleKeys,
  audit: ZBundleAudit,
  /** Issue #16: the checkpoint and inclusion proofs; absent in bundles made before the log. */
  log: ZBundleLog.optional(),
  files: ZBundleFiles,
});
export type TPackageBundleManifest = z.infer<typeof ZPackageBundleManifest>;

/** Every verification of the package, oldest first, with the trust it was checked against. */
export const ZPackageVerdicts = z.array(
  z.strictObject({
    state: ZState,
    reason: z.string().nullable(),
    signer: ZSigner.nullable(),
    at: ZInstant,
    by: z.string().nullable(),
    certificates: z.array(ZSha256),
    pgpKeys: z.array(ZFingerprint),
  }),
);
export type TPackageVerdicts = z.infer<typeof ZPackageVerdicts>;

/** The update record (U4): its mode's path and the checklist's steps with their evidence. */
export const ZPackageUpdateRecord = z.strictObject({
  id: z.string().min(1),
  mode: ZMode,
  state: z.enum(["AWAITING_APPLY", "IN_PROGRESS", "COMPLETED"]),
  createdAt: ZInstant,
  completedAt: ZInstant.nullable(),
  applyStatement: z.string().nullable(),
  appliedBy: z.string().nullable(),
  steps: z.array(
    z.strictObject({
      number: z.number().int().min(1),
      key: z.string(),
      evidence: z.record(z.string(), z.unknown()),
      statement: z.string().min(1),
      tickedBy: z.string(),
      tickedAt: ZInstant,
    }),
  ),
  postUpdate: z
    .strictObject({
      status: z.number().int().nullable(),
      answer: z.string().nullable(),
      at: ZInstant,
    })
    .nullable(),
});
export type TPackageUpdateRecord = z.infer<typeof ZPackageUpdateRecord>;

type TStatementEntry = TPackageBundleManifest["statements"][number];

export type TPackageBundleInput = {
  exportedAt: Date;
  portal: { fingerprint: string; armored: string };
  installation: TPackageBundleManifest["installation"];
  package: Omit<TPackageBundleManifest["package"], "file" | "signature" | "content"> & {
    data: Uint8Array;
    signature: Uint8Array | null;
    content: Uint8Array | null;
    contentSha256: string | null;
  };
  verdicts: TPackageVerdicts;
  certificates: (Omit<TPackageBundleManifest["certificates"][number], "file"> & {
    der: Uint8Array;
  })[];
  vendorKeys: { fingerprint: string; armored: string }[];
  update: TPackageUpdateRecord | null;
  statements: (Omit<TStatementEntry, "file" | "signature" | "key" | "receivedAt"> & {
    receivedAt: Date;
    text: string;
    armoredSignature: string;
  })[];
  keys: { fingerprint: string; armored: string; account: z.infer<typeof ZAccount> }[];
  events: TEventLine[];
  links: { seq: string; hash: string }[];
  head: THead;
};

/** PEM as `openssl x509` writes it: base64 in lines of 64. */
export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The DER inside one PEM certificate, or null when the text is not one. */
export function pemToDer(pem: string): Uint8Array | null {
  const m = pem.match(
    /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=\n]+)-----END CERTIFICATE-----\n?$/,
  );
  if (!m) return null;
  return new Uint8Array(Buffer.from(m[1].replace(/\n/g, ""), "base64"));
}

const VERIFY_TEXT = `# Verifying this update package's bundle

With the portal's public key fetched from the portal itself (GET /api/portal-key), never from this
bundle:

    patchgate verify <bundle>.tar.gz --portal-key portal-key-from-the-portal.asc

## What is proven, and by whom

Nothing in this bundle proves anything on its own. With a good manifest.json.asc by the portal key
you trust, the portal vouches for what manifest.json says: the installation, the package's facts,
which account each key in keys/ belongs to and the roles it held when each statement was received,
the audit head, and every file's SHA-256. Independently of the portal:

- the package file is checked again against the trusted certificates (and vendor keys) in this
  bundle, as \`openssl smime -verify\` does, at the time of the portal's last verdict: the verdict
  and the content must come out the same;
- each statement's signature proves that the named key signed that exact statement, which names
  this package's SHA-256, its content's SHA-256 and (a checklist step) the step and its evidence;
- the audit events recompute and chain to the head through audit/links.txt.

## With patchgate

It checks the portal's seal, every file's SHA-256, each statement's signature and that it names this
package and its content, the checklist's order, and verifies the package again, offline, against the
certificates and vendor keys in this bundle at the time of the last verdict: the portal's last
VERIFIED verdict must come out again.

## With stock tools, inside the unpacked directory

    gpg --import portal-key-from-the-portal.asc
    gpg --verify manifest.json.asc manifest.json    # the portal vouches for the manifest
    sha256sum -c SHA256SUMS                          # every file is the one it lists
    cat certificates/*.pem > trusted.pem
    openssl smime -verify -binary -inform DER -in package/<file> -CAfile trusted.pem \\
        -out content.out -attime <the verdict's time as seconds since 1970>
    cmp content.out content/<file>
    gpg --import keys/*.asc
    gpg --verify statements/<file>.txt.asc statements/<file>.txt

(-inform PEM for a package that starts with -----BEGIN PKCS7-----.)
`;

/** The bundle's files, manifest included, ready to be sealed (sealDossier) and packed. */
export function assemblePackageBundle(input: TPackageBundleInput): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const { data, signature, content, contentSha256, ...pkg } = input.package;
  const file = packageFile(pkg.fileName);
  files.set(file, data);
  const sigFile = `${file}.sig`;
  if (signature) files.set(sigFile, signature);
  const body = content ? contentFile(pkg.fileName) : null;
  if (content && body) files.set(body, content);
  for (const c of input.certificates) files.set(certificateFile(c.sha256), text(derToPem(c.der)));
  for (const k of input.vendorKeys)
    files.set(vendorKeyFile(k.fingerprint), text(k.armored.trim() + "\n"));
  files.set(PACKAGE_VERDICTS, text(JSON.stringify(input.verdicts, null, 2) + "\n"));
  if (input.update) files.set(PACKAGE_UPDATE, text(JSON.stringify(input.update, null, 2) + "\n"));
  const statements = input.statements.map((s, i) => {
    const what = s.kind === "package-step" ? `${s.kind}${s.step}` : s.kind;
    const name = `statements/${String(i + 1).padStart(2, "0")}-${what}.txt`;
    files.set(name, text(s.text));
    files.set(signatureFile(name), text(s.armoredSignature.trim() + "\n"));
    return {
      id: s.id,
      file: name,
      signature: signatureFile(name),
      kind: s.kind,
      ...(s.step === undefined ? {} : { step: s.step }),
      signer: s.signer,
      fingerprint: s.fingerprint,
      key: keyFile(s.fingerprint),
      receivedAt: s.receivedAt.toISOString(),
    };
  });
  const common = writeCommonParts(files, input, VERIFY_TEXT);
  const manifest: TPackageBundleManifest = {
    format: PACKAGE_BUNDLE_FORMAT,
    exportedAt: common.exportedAt,
    portal: common.portal,
    installation: input.installation,
    package: {
      ...pkg,
      file,
      signature: signature ? { file: sigFile, sha256: sha256Hex(signature) } : null,
      content: content && body ? { file: body, sha256: contentSha256 ?? sha256Hex(content) } : null,
    },
    verdicts: PACKAGE_VERDICTS,
    certificates: input.certificates.map(({ der: _der, ...c }) => ({
      ...c,
      file: certificateFile(c.sha256),
    })),
    vendorKeys: input.vendorKeys.map((k) => ({
      fingerprint: k.fingerprint,
      file: vendorKeyFile(k.fingerprint),
    })),
    update: input.update ? PACKAGE_UPDATE : null,
    statements,
    keys: common.keys,
    audit: common.audit,
    ...(common.log ? { log: common.log } : {}),
    files: common.files,
  };
  return writeManifest(files, manifest);
}
