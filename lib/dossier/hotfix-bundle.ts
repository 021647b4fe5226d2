import { z } from "zod";
import { HOTFIX_STATEMENT_KINDS } from "../domain/hotfix-statements";
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
import { ZDossierPath, ZEventLine, type TEventLine, type THead } from "./manifest";

// The evidence bundle of one hotfix (H1–H6): its file, the signed release and
// verifications, every application, and its audit events chained to the head,
// sealed by the portal like a patch's dossier (manifest.json.asc) and checked by
// the same `patchgate verify`, which tells the two apart by the manifest's format.

export const HOTFIX_BUNDLE_FORMAT = "patchgate-hotfix-evidence v1";
export const HOTFIX_APPLICATIONS = "applications.json";

export const hotfixBundleRoot = (name: string) => name;
export const hotfixBundleFileName = (name: string) => `${name}-evidence.tar.gz`;
const hotfixFile = (fileName: string) => `hotfix/${fileName}`;

export const ZHotfixBundleManifest = z.strictObject({
  format: z.literal(HOTFIX_BUNDLE_FORMAT),
  exportedAt: ZInstant,
  portal: z.strictObject({ fingerprint: ZFingerprint, key: ZDossierPath }),
  hotfix: z.strictObject({
    id: z.string().min(1),
    name: z.string().min(1),
    fileName: z.string().min(1),
    product: z.string(),
    version: z.string(),
    component: z.enum(["frontend", "backend", "common"]),
    issue: z.string(),
    sha256: ZSha256,
    file: ZDossierPath,
    uploadedBy: ZAccount.nullable(),
    files: z.array(
      z.strictObject({ path: z.string(), sha256Before: ZSha256.nullable(), sha256After: ZSha256 }),
    ),
  }),
  statements: z.array(
    z.strictObject({
      id: z.string().min(1),
      file: ZDossierPath,
      signature: ZDossierPath,
      kind: z.enum(HOTFIX_STATEMENT_KINDS),
      signer: ZBundleSigner,
      fingerprint: ZFingerprint,
      key: ZDossierPath,
      receivedAt: ZInstant,
    }),
  ),
  keys: ZBundleKeys,
  applications: ZDossierPath,
  audit: ZBundleAudit,
  /** Issue #16: the checkpoint and inclusion proofs; absent in bundles made before the log. */
  log: ZBundleLog.optional(),
  files: ZBundleFiles,
});
export type THotfixBundleManifest = z.infer<typeof ZHotfixBundleManifest>;

export const ZHotfixApplications = z.array(
  z.strictObject({
    server: z.string(),
    role: z.enum(["FRONTEND", "BACKEND"]),
    state: z.enum(["APPLIED", "VERIFIED", "FAILED", "UNAPPLIED"]),
    appliedBy: z.string().nullable(),
    appliedAt: ZInstant,
    restartCommand: z.string(),
    restartExit: z.number().int().nullable(),
    error: z.string().nullable(),
    filesAfter: z.record(z.string(), z.string()),
    verifiedAt: ZInstant.nullable(),
    unappliedAt: ZInstant.nullable(),
    unapplyVerifiedAt: ZInstant.nullable(),
  }),
);
export type THotfixApplications = z.infer<typeof ZHotfixApplications>;

export type THotfixBundleInput = {
  exportedAt: Date;
  portal: { fingerprint: string; armored: string };
  hotfix: Omit<THotfixBundleManifest["hotfix"], "file"> & { content: Uint8Array };
  statements: (Omit<
    THotfixBundleManifest["statements"][number],
    "file" | "signature" | "key" | "receivedAt"
  > & {
    receivedAt: Date;
    text: string;
    armoredSignature: string;
  })[];
  keys: { fingerprint: string; armored: string; account: z.infer<typeof ZAccount> }[];
  applications: THotfixApplications;
  events: TEventLine[];
  links: { seq: string; hash: string }[];
  head: THead;
};

const VERIFY_TEXT = `# Verifying this hotfix bundle

With the portal's public key fetched from the portal itself (GET /api/portal-key), never from this
bundle:

    patchgate verify <bundle>.tar.gz --portal-key portal-key-from-the-portal.asc

Or with stock tools, inside the unpacked directory:

    gpg --import portal-key-from-the-portal.asc
    gpg --verify manifest.json.asc manifest.json    # the portal vouches for the manifest
    sha256sum -c SHA256SUMS                          # every file is the one it lists
    gpg --import keys/*.asc
    gpg --verify statements/<file>.txt.asc statements/<file>.txt

The portal's signature vouches for which account each key belongs to, the roles each signer held, the
audit head and every file's SHA-256 at export. Each signature proves that key signed the statement
the server issued, which names the hotfix file's SHA-256 (hotfix-sha256); sha256sum hotfix/* shows it.
`;

/** The bundle's files, manifest included, ready to be sealed (sealDossier) and packed. */
export function assembleHotfixBundle(input: THotfixBundleInput): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const { content, ...hotfix } = input.hotfix;
  const file = hotfixFile(hotfix.fileName);
  files.set(file, content);
  const statements = input.statements.map((s, i) => {
    const name = `statements/${String(i + 1).padStart(2, "0")}-${s.kind}.txt`;
    files.set(name, text(s.text));
    files.set(signatureFile(name), text(s.armoredSignature.trim() + "\n"));
    return {
      id: s.id,
      file: name,
      signature: signatureFile(name),
      kind: s.kind,
      signer: s.signer,
      fingerprint: s.fingerprint,
      key: keyFile(s.fingerprint),
      receivedAt: s.receivedAt.toISOString(),
    };
  });
  files.set(HOTFIX_APPLICATIONS, text(JSON.stringify(input.applications, null, 2) + "\n"));
  const common = writeCommonParts(files, input, VERIFY_TEXT);
  const manifest: THotfixBundleManifest = {
    format: HOTFIX_BUNDLE_FORMAT,
    exportedAt: common.exportedAt,
    portal: common.portal,
    hotfix: { ...hotfix, file },
    statements,
    keys: common.keys,
    applications: HOTFIX_APPLICATIONS,
    audit: common.audit,
    ...(common.log ? { log: common.log } : {}),
    files: common.files,
  };
  return writeManifest(files, manifest);
}

export { ZEventLine };
