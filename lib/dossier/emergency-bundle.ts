import { z } from "zod";
import { GATES, LADDER_STATES, MOVE_KINDS, TEAMS } from "../domain/emergency-ladder";
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

// The evidence bundle of one emergency (E1–E7, issue #15): the record as
// emergency.json (declarer, responders, every move in order, the remote
// sessions, the disputes and their rulings, the deployed diffs), every signed
// statement with its signer's key, the session logs, the diffs themselves and
// the audit events of the emergency, its disputes and its patches chained to
// the head. Sealed by the portal like every bundle (manifest.json.asc) and
// checked offline by `patchgate verify`, which recomputes the ladder from the
// moves alone.

export const EMERGENCY_BUNDLE_FORMAT = "patchgate-emergency-bundle v1";
export const EMERGENCY_RECORD = "emergency.json";

export const emergencyBundleRoot = (number: number) => `emergency-${number}`;
export const emergencyBundleFileName = (number: number) => `emergency-${number}-evidence.tar.gz`;
/** `statements/003-option2-patch.txt`, `statements/005-gate-review-1.txt`; the signature is `<file>.asc`. */
export const emergencyStatementFile = (seq: number, what: string) =>
  `statements/${String(seq).padStart(3, "0")}-${what.replace(/[^A-Za-z0-9._-]/g, "_")}.txt`;
/** `diffs/option2-patch-<first 12 hex>.diff`. */
export const emergencyDiffFile = (source: string, sha256: string) =>
  `diffs/${source}-${sha256.slice(0, 12)}.diff`;
export const sessionLogFile = (n: number) => `sessions/${n}.log`;

const ZStatementRef = z.strictObject({ id: z.string().min(1), file: ZDossierPath });

export const DIFF_SOURCES = ["option1-patch", "option2-patch", "option3-session"] as const;
export type TDiffSource = (typeof DIFF_SOURCES)[number];

/** emergency.json: the record as the portal holds it, people named, statements by file. */
export const ZEmergencyRecord = z.strictObject({
  id: z.string().min(1),
  number: z.number().int().min(1),
  system: z.strictObject({ slug: z.string(), name: z.string() }),
  title: z.string(),
  description: z.string(),
  severity: z.string(),
  state: z.enum(LADDER_STATES),
  declaredAt: ZInstant,
  deadlineAt: ZInstant,
  resolvedAt: ZInstant.nullable(),
  closedAt: ZInstant.nullable(),
  /** The system's test policy: option 1's test gate needs this many passing testers. */
  testsRequired: z.number().int().min(0),
  declarer: ZAccount,
  responders: z.array(
    z.strictObject({
      team: z.enum(TEAMS),
      person: ZAccount,
      namedAt: ZInstant,
      acknowledgedAt: ZInstant.nullable(),
      /** The signed standby acknowledgement. */
      statement: ZStatementRef.nullable(),
    }),
  ),
  /** Every move, in the order the ladder recorded it. */
  moves: z.array(
    z.strictObject({
      seq: z.number().int().min(1),
      id: z.string().min(1),
      kind: z.enum(MOVE_KINDS),
      gate: z.enum(GATES).nullable(),
      actor: ZAccount,
      at: ZInstant,
      reason: z.string().nullable(),
      /** The move's particulars (team, capacity, grantee, the diff's SHA-256...), never the diff itself. */
      data: z.record(z.string(), z.unknown()),
      statement: ZStatementRef.nullable(),
    }),
  ),
  sessions: z.array(
    z.strictObject({
      id: z.string().min(1),
      grantee: ZAccount,
      watcher: ZAccount,
      openedAt: ZInstant.nullable(),
      terminatedAt: ZInstant.nullable(),
      disabledAt: ZInstant.nullable(),
      log: z.strictObject({ file: ZDossierPath, sha256: ZSha256 }).nullable(),
    }),
  ),
  disputes: z.array(
    z.strictObject({
      id: z.string().min(1),
      number: z.number().int().min(1),
      cause: z.enum(["option2", "option3"]).nullable(),
      reason: z.string(),
      state: z.enum(["OPEN", "RULED"]),
      filedAt: ZInstant,
      ruling: z
        .strictObject({
          id: z.string().min(1),
          arbitrator: ZAccount,
          verdict: z.string(),
          reasoning: z.string(),
          ruledAt: ZInstant,
          statement: ZStatementRef,
        })
        .nullable(),
    }),
  ),
  /** The diffs the statements name: option 1's revisions, option 2's recorded patch, option 3's change. */
  diffs: z.array(
    z.strictObject({
      file: ZDossierPath,
      sha256: ZSha256,
      source: z.enum(DIFF_SOURCES),
      /** The patch record it is (option 1) or re-entered the normal cycle as (options 2, 3). */
      patch: z
        .strictObject({
          id: z.string().min(1),
          number: z.number().int().min(1),
          revision: z.number().int().min(1),
        })
        .nullable(),
      /** What went onto the live system. */
      deployed: z.boolean(),
    }),
  ),
  /** Option 1: the patch's deployment records and their signed steps. */
  deployments: z.array(
    z.strictObject({
      id: z.string().min(1),
      patch: z.strictObject({ id: z.string().min(1), number: z.number().int().min(1) }),
      revision: z.number().int().min(1),
      diffSha256: ZSha256,
      state: z.string(),
      openedAt: ZInstant,
      closedAt: ZInstant.nullable(),
      steps: z.array(
        z.strictObject({
          number: z.number().int(),
          key: z.string(),
          title: z.string(),
          status: z.string(),
          doneBy: ZAccount.nullable(),
          doneAt: ZInstant.nullable(),
          statement: ZStatementRef.nullable(),
          decisionStatement: ZStatementRef.nullable(),
        }),
      ),
    }),
  ),
});
export type TEmergencyRecord = z.infer<typeof ZEmergencyRecord>;

export const ZEmergencyBundleManifest = z.strictObject({
  format: z.literal(EMERGENCY_BUNDLE_FORMAT),
  exportedAt: ZInstant,
  portal: z.strictObject({ fingerprint: ZFingerprint, key: ZDossierPath }),
  emergency: z.strictObject({
    id: z.string().min(1),
    number: z.number().int().min(1),
    title: z.string(),
    system: z.string(),
    state: z.enum(LADDER_STATES),
    record: ZDossierPath,
  }),
  statements: z.array(
    z.strictObject({
      id: z.string().min(1),
      file: ZDossierPath,
      signature: ZDossierPath,
      /** The statement's kind: acknowledge, a move's kind, ruling, or a deployment step's. */
      kind: z.string().min(1),
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
export type TEmergencyBundleManifest = z.infer<typeof ZEmergencyBundleManifest>;
type TStatementEntry = TEmergencyBundleManifest["statements"][number];

export type TEmergencyBundleInput = {
  exportedAt: Date;
  portal: { fingerprint: string; armored: string };
  record: TEmergencyRecord;
  statements: (Omit<TStatementEntry, "signature" | "key" | "receivedAt"> & {
    receivedAt: Date;
    text: string;
    armoredSignature: string;
  })[];
  /** Each bundled diff's and session log's bytes, by the file the record names. */
  attachments: Map<string, Uint8Array>;
  keys: { fingerprint: string; armored: string; account: z.infer<typeof ZAccount> }[];
  events: TEventLine[];
  links: { seq: string; hash: string }[];
  head: THead;
};

export const EMERGENCY_VERIFY_TEXT = `# Verifying this emergency's evidence bundle

With the portal's public key fetched from the portal itself (GET /api/portal-key), never from this
bundle:

    patchgate verify <bundle>.tar.gz --portal-key portal-key-from-the-portal.asc

## What is proven, and by whom

Nothing in this bundle proves anything on its own. With a good manifest.json.asc by the portal key
you trust, the portal vouches for what manifest.json and emergency.json say: which account each key
in keys/ belongs to, the roles each signer held when the portal received the statement, the audit
head and every file's SHA-256. Independently of the portal:

- each statement's signature proves that the named key signed that exact text: a move names the
  emergency (id and number), its kind, gate, team or capacity, and its reason; option 2's patch,
  option 3's change and option 1's gates name their diff's SHA-256 (patch-sha256), which is the
  SHA-256 of a file in diffs/; option 3's disabling names the session log's SHA-256
  (session-log-sha256), which is the SHA-256 of its file in sessions/; a ruling names its dispute
  and verdict, its reasoning is its comment;
- the escalation ladder replayed from the moves in emergency.json gives the state it records and
  the disputes it lists;
- the audit events recompute, chain to the head through audit/links.txt, and record every move in
  the same order, every acknowledgement, dispute and ruling.

## With patchgate

It checks the portal's seal, every file's SHA-256, each key, each statement's signature and that
its fields are the recorded move's (or acknowledgement's, or ruling's), that its signer held a role
allowed to make it, that no arbitrator ruled on an emergency they took part in, replays the ladder,
and checks the audit events.

## With stock tools, inside the unpacked directory

    gpg --import portal-key-from-the-portal.asc
    gpg --verify manifest.json.asc manifest.json    # the portal vouches for the manifest
    sha256sum -c SHA256SUMS                          # every file is the one it lists
    gpg --import keys/*.asc
    for s in statements/*.txt; do gpg --verify "$s.asc" "$s"; done
    sha256sum diffs/* sessions/*                     # = patch-sha256 / session-log-sha256 in the statements
`;

/** The bundle's files, manifest included, ready to be sealed (sealDossier) and packed. */
export function assembleEmergencyBundle(input: TEmergencyBundleInput): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  files.set(EMERGENCY_RECORD, text(JSON.stringify(input.record, null, 2) + "\n"));
  for (const [name, bytes] of input.attachments) files.set(name, bytes);
  const statements = input.statements.map((s) => {
    files.set(s.file, text(s.text));
    files.set(signatureFile(s.file), text(s.armoredSignature.trim() + "\n"));
    return {
      id: s.id,
      file: s.file,
      signature: signatureFile(s.file),
      kind: s.kind,
      signer: s.signer,
      fingerprint: s.fingerprint,
      key: keyFile(s.fingerprint),
      receivedAt: s.receivedAt.toISOString(),
    };
  });
  const r = input.record;
  const common = writeCommonParts(files, input, EMERGENCY_VERIFY_TEXT);
  const manifest: TEmergencyBundleManifest = {
    format: EMERGENCY_BUNDLE_FORMAT,
    exportedAt: common.exportedAt,
    portal: common.portal,
    emergency: {
      id: r.id,
      number: r.number,
      title: r.title,
      system: r.system.slug,
      state: r.state,
      record: EMERGENCY_RECORD,
    },
    statements,
    keys: common.keys,
    audit: common.audit,
    ...(common.log ? { log: common.log } : {}),
    files: common.files,
  };
  return writeManifest(files, manifest);
}
