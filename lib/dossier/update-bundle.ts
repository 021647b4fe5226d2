import { z } from "zod";
import { sha256Hex } from "../crypto/hash";
import { UPDATE_STATEMENT_KINDS } from "../domain/update-statements";
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

// The evidence bundle of one stable release update (S1–S3): every signed
// revision's text, every signed statement (update-submit, update-review,
// update-major-ack, update-verify) with its signer's key, the evidence each
// update-verify covers, the series evidence and HTTPS checks the tags come
// from, the audit events chained to the head, and the tags the portal showed.
// Sealed by the portal like a patch's dossier (manifest.json.asc) and checked by
// the same `patchgate verify`, which tells the kinds apart by the manifest's
// format and recomputes the review outcome and the tags from the bundle alone.

export const UPDATE_BUNDLE_FORMAT = "patchgate-update-bundle v1";
export const UPDATE_BODY = "update/body.md";
export const UPDATE_SERIES_EVIDENCE = "update/series-evidence.json";
export const UPDATE_HTTPS_CHECKS = "update/https-checks.json";

export const updateBundleRoot = (number: number) => `update-${number}`;
export const updateBundleFileName = (number: number) => `update-${number}-evidence.tar.gz`;
/** Each signed revision's text, exactly as its update-submit signed it. */
export const updateRevisionFile = (revision: number) => `revisions/r${revision}.md`;
/** An update-verify's evidence as it hashed: one line of RFC 8785 canonical JSON. */
export const verifyEvidenceFile = (statementFile: string) =>
  statementFile.replace(/^statements\//, "evidence/").replace(/\.txt$/, ".json");

/** `NN-update-review-approve-r1.txt`, `NN-update-verify-pass-noble-r1.txt`, `NN-update-major-ack-c2-r1.txt`. */
export function updateStatementFile(
  seq: number,
  s: {
    kind: string;
    verdict: string;
    revision: number;
    series: string | null;
    change: number | null;
  },
): string {
  const what = [s.kind, s.verdict, s.series, s.change === null ? null : `c${s.change}`]
    .filter(Boolean)
    .join("-")
    .replace(/[^A-Za-z0-9._-]/g, "_");
  return `statements/${String(seq).padStart(2, "0")}-${what}-r${s.revision}.txt`;
}

const ZRecordState = z.enum(["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"]);

export const ZUpdateBundleManifest = z.strictObject({
  format: z.literal(UPDATE_BUNDLE_FORMAT),
  exportedAt: ZInstant,
  portal: z.strictObject({ fingerprint: ZFingerprint, key: ZDossierPath }),
  update: z.strictObject({
    id: z.string().min(1),
    number: z.number().int().min(1),
    title: z.string(),
    template: z.string(),
    system: z.string(),
    /** The target system's review policy: approving reviews needed (at least 2 apply). */
    reviewsRequired: z.number().int().min(0),
    packages: z.array(z.string()),
    version: z.string(),
    series: z.array(z.string()),
    bugId: z.string(),
    state: ZRecordState,
    /** The latest signed revision (0: never submitted). */
    revision: z.number().int().min(0),
    /** The text as it stands now (a draft may differ from the last signed revision). */
    body: z.strictObject({ file: ZDossierPath, sha256: ZSha256 }),
    createdBy: ZAccount,
    createdAt: ZInstant,
    submittedAt: ZInstant.nullable(),
    approvedAt: ZInstant.nullable(),
  }),
  revisions: z.array(
    z.strictObject({
      number: z.number().int().min(1),
      title: z.string(),
      packages: z.array(z.string()),
      version: z.string(),
      series: z.array(z.string()),
      bugId: z.string(),
      file: ZDossierPath,
      bodySha256: ZSha256,
      /** The update-submit statement's id. */
      statement: z.string().min(1),
      submittedBy: z.string().min(1),
      createdAt: ZInstant,
    }),
  ),
  statements: z.array(
    z.strictObject({
      id: z.string().min(1),
      file: ZDossierPath,
      signature: ZDossierPath,
      kind: z.enum(UPDATE_STATEMENT_KINDS),
      verdict: z.string(),
      revision: z.number().int().min(1),
      /** update-verify: the series verified. */
      series: z.string().nullable(),
      /** update-major-ack: the change acknowledged. */
      change: z.strictObject({ number: z.number().int().min(1), sha256: ZSha256 }).nullable(),
      /** update-verify: the evidence it covers, as hashed. */
      evidence: z.strictObject({ file: ZDossierPath, sha256: ZSha256 }).nullable(),
      signer: ZBundleSigner,
      fingerprint: ZFingerprint,
      key: ZDossierPath,
      receivedAt: ZInstant,
    }),
  ),
  keys: ZBundleKeys,
  seriesEvidence: ZDossierPath,
  httpsChecks: ZDossierPath,
  /** The tags the portal showed at export; the verifier recomputes them. */
  tags: z.array(z.string()),
  audit: ZBundleAudit,
  /** Issue #16: the checkpoint and inclusion proofs; absent in bundles made before the log. */
  log: ZBundleLog.optional(),
  files: ZBundleFiles,
});
export type TUpdateBundleManifest = z.infer<typeof ZUpdateBundleManifest>;

/** Evidence a tester recorded for one series (ACME certificate, dep8 smoke test), oldest first. */
export const ZBundleSeriesEvidence = z.array(
  z.strictObject({
    id: z.string().min(1),
    revision: z.number().int().min(0),
    series: z.string(),
    kind: z.enum(["ACME", "SMOKE"]),
    facts: z.unknown(),
    ok: z.boolean(),
    reason: z.string(),
    recordedBy: z.string(),
    createdAt: ZInstant,
  }),
);
export type TBundleSeriesEvidence = z.infer<typeof ZBundleSeriesEvidence>;

/** Each HTTPS check the portal's worker ran (or has yet to run), oldest first. */
export const ZBundleHttpsChecks = z.array(
  z.strictObject({
    id: z.string().min(1),
    revision: z.number().int().min(0),
    series: z.string(),
    server: z.enum(["apache", "nginx"]),
    url: z.string(),
    host: z.string(),
    port: z.number().int(),
    caBundle: z.string().nullable(),
    state: z.enum(["PENDING", "CHECKED"]),
    requestedBy: z.string(),
    createdAt: ZInstant,
    checkedAt: ZInstant.nullable(),
    subject: z.string().nullable(),
    sans: z.array(z.string()),
    issuer: z.string().nullable(),
    notBefore: ZInstant.nullable(),
    notAfter: ZInstant.nullable(),
    sha256: z.string().nullable(),
    hostValid: z.boolean().nullable(),
    chainValid: z.boolean().nullable(),
    ok: z.boolean().nullable(),
    reason: z.string(),
  }),
);
export type TBundleHttpsChecks = z.infer<typeof ZBundleHttpsChecks>;

type TManifestUpdate = TUpdateBundleManifest["update"];
type TStatementEntry = TUpdateBundleManifest["statements"][number];

export type TUpdateBundleInput = {
  exportedAt: Date;
  portal: { fingerprint: string; armored: string };
  update: Omit<TManifestUpdate, "body"> & { body: string };
  revisions: (Omit<TUpdateBundleManifest["revisions"][number], "file"> & { body: string })[];
  statements: (Omit<TStatementEntry, "file" | "signature" | "key" | "receivedAt" | "evidence"> & {
    receivedAt: Date;
    text: string;
    armoredSignature: string;
    /** update-verify: the evidence's exact bytes as hashed (canonical JSON). */
    evidence: string | null;
  })[];
  keys: { fingerprint: string; armored: string; account: z.infer<typeof ZAccount> }[];
  seriesEvidence: TBundleSeriesEvidence;
  httpsChecks: TBundleHttpsChecks;
  tags: string[];
  events: TEventLine[];
  links: { seq: string; hash: string }[];
  head: THead;
};

const VERIFY_TEXT = `# Verifying this release update's bundle

With the portal's public key fetched from the portal itself (GET /api/portal-key), never from this
bundle:

    patchgate verify <bundle>.tar.gz --portal-key portal-key-from-the-portal.asc

## What is proven, and by whom

Nothing in this bundle proves anything on its own. With a good manifest.json.asc by the portal key
you trust, the portal vouches for what manifest.json says: the record's facts, which account each
key in keys/ belongs to and the roles it held when each statement was received, the audit head,
the tags it showed, and every file's SHA-256. Independently of the portal:

- each statement's signature proves that the named key signed that exact statement: an
  update-submit names its revision's text by SHA-256 (and carries it whole), a review, an
  acknowledgement or a verification names the revision it binds by the same SHA-256; an
  acknowledgement names one change of that revision's Major Changes, which must be marked not
  backwards compatible; a verification names every package's version and the SHA-256 of its
  evidence in evidence/;
- the review outcome (the target system's policy, the submitter never counting, every
  incompatible change acknowledged) and the tags per series are recomputed from the statements,
  update/series-evidence.json and update/https-checks.json, and must be the manifest's;
- the audit events recompute and chain to the head through audit/links.txt.

## With patchgate

It checks the portal's seal, every file's SHA-256, each statement's signature and that it binds a
revision in this bundle, each revision's text against its update-submit, each acknowledgement
against the Major Changes, each verification's evidence against its hash, the audit events, and
recomputes the review outcome and the tags.

## With stock tools, inside the unpacked directory

    gpg --import portal-key-from-the-portal.asc
    gpg --verify manifest.json.asc manifest.json    # the portal vouches for the manifest
    sha256sum -c SHA256SUMS                          # every file is the one it lists
    gpg --import keys/*.asc
    for s in statements/*.txt; do gpg --verify "$s.asc" "$s"; done
    sha256sum revisions/r1.md                        # = body-sha256 in r1's update-submit
    sha256sum evidence/<file>.json                   # = evidence-sha256 in its update-verify
`;

/** The bundle's files, manifest included, ready to be sealed (sealDossier) and packed. */
export function assembleUpdateBundle(input: TUpdateBundleInput): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  files.set(UPDATE_BODY, text(input.update.body));
  const revisions = input.revisions.map(({ body, ...r }) => {
    const file = updateRevisionFile(r.number);
    files.set(file, text(body));
    return { ...r, file };
  });
  const statements = input.statements.map((s, i) => {
    const name = updateStatementFile(i + 1, {
      kind: s.kind,
      verdict: s.verdict,
      revision: s.revision,
      series: s.series,
      change: s.change?.number ?? null,
    });
    files.set(name, text(s.text));
    files.set(signatureFile(name), text(s.armoredSignature.trim() + "\n"));
    let evidence: TStatementEntry["evidence"] = null;
    if (s.evidence !== null) {
      const file = verifyEvidenceFile(name);
      files.set(file, text(s.evidence));
      evidence = { file, sha256: sha256Hex(s.evidence) };
    }
    return {
      id: s.id,
      file: name,
      signature: signatureFile(name),
      kind: s.kind,
      verdict: s.verdict,
      revision: s.revision,
      series: s.series,
      change: s.change,
      evidence,
      signer: s.signer,
      fingerprint: s.fingerprint,
      key: keyFile(s.fingerprint),
      receivedAt: s.receivedAt.toISOString(),
    };
  });
  files.set(UPDATE_SERIES_EVIDENCE, text(JSON.stringify(input.seriesEvidence, null, 2) + "\n"));
  files.set(UPDATE_HTTPS_CHECKS, text(JSON.stringify(input.httpsChecks, null, 2) + "\n"));
  const { body, ...update } = input.update;
  const common = writeCommonParts(files, input, VERIFY_TEXT);
  const manifest: TUpdateBundleManifest = {
    format: UPDATE_BUNDLE_FORMAT,
    exportedAt: common.exportedAt,
    portal: common.portal,
    update: { ...update, body: { file: UPDATE_BODY, sha256: sha256Hex(body) } },
    revisions,
    statements,
    keys: common.keys,
    seriesEvidence: UPDATE_SERIES_EVIDENCE,
    httpsChecks: UPDATE_HTTPS_CHECKS,
    tags: input.tags,
    audit: common.audit,
    ...(common.log ? { log: common.log } : {}),
    files: common.files,
  };
  return writeManifest(files, manifest);
}
