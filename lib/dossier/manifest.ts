import { z } from "zod";
import { DOSSIER_FORMAT } from "./layout";
import { ZBundleLog } from "./log-manifest";
import { STATEMENT_KINDS } from "../domain/statements";
import { PATCH_STATES } from "../domain/patch-state";
import { ROLES } from "../domain/roles";

// The schemas of the dossier's JSON files. The verifier parses with these before
// it trusts a single field; the builder types its output with them.

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/, "a lower-case hex SHA-256");
const ZFingerprint = z
  .string()
  .regex(/^[0-9A-F]{40}([0-9A-F]{24})?$/, "an upper-case hex fingerprint");
// A relative path of plain names: no "..", no absolute path, no backslash.
export const ZDossierPath = z
  .string()
  .max(200)
  .regex(
    /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/,
    "a plain relative path",
  );
const ZInstant = z.iso.datetime();
const ZCount = z.number().int().min(0);
const ZSeq = z.string().regex(/^[0-9]+$/);

/** Issue #11: who a key belongs to, as the portal vouches in its signed manifest. */
const ZAccount = z.strictObject({ id: z.string().min(1), email: z.string(), name: z.string() });

const ZSigner = z.strictObject({
  account: z.string().min(1),
  email: z.string(),
  name: z.string(),
  /** The roles the account held when the portal received the statement. */
  roles: z.array(z.enum(ROLES)),
});

/** E3: one of option 1's statements, signed on the emergency, that the patch reads as a sign-off. */
const ZFastPathStatement = z.strictObject({
  id: z.string().min(1),
  file: ZDossierPath,
  signature: ZDossierPath,
  kind: z.enum(["option1-patch", "gate"]),
  gate: z.enum(["review-1", "test", "review-2"]).optional(),
  verdict: z.enum(["pass", "fail"]).optional(),
  /** The diff it is signed for (`patch-sha256`). */
  sha256: ZSha256,
  signer: ZSigner,
  fingerprint: ZFingerprint,
  key: ZDossierPath,
  receivedAt: ZInstant,
});

export const ZHead = z.strictObject({ seq: ZSeq, hash: ZSha256, at: ZInstant.nullable() });
export type THead = z.infer<typeof ZHead>;

export const ZManifest = z.strictObject({
  format: z.literal(DOSSIER_FORMAT),
  exportedAt: ZInstant,
  /** The key whose detached signature (manifest.json.asc) vouches for this file. */
  portal: z.strictObject({ fingerprint: ZFingerprint, key: ZDossierPath }),
  patch: z.strictObject({
    id: z.string().min(1),
    number: z.number().int().positive(),
    title: z.string(),
    system: z.string().min(1),
    bugId: z.string(),
    state: z.enum(PATCH_STATES),
    revision: z.number().int().positive(),
    author: z.string().min(1),
  }),
  policy: z.strictObject({
    reviewsRequired: ZCount,
    testsRequired: ZCount,
    procedure: z.enum(["WEBDB", "SIGNING_SERVER"]),
  }),
  gates: z.strictObject({
    reviews: z.strictObject({ have: ZCount, need: ZCount }),
    tests: z.strictObject({ have: ZCount, need: ZCount }),
  }),
  revisions: z.array(
    z.strictObject({
      number: z.number().int().positive(),
      file: ZDossierPath,
      sha256: ZSha256,
      uploadedBy: z.string().min(1),
      createdAt: ZInstant,
    }),
  ),
  statements: z.array(
    z.strictObject({
      id: z.string().min(1),
      file: ZDossierPath,
      signature: ZDossierPath,
      kind: z.enum(STATEMENT_KINDS),
      verdict: z.string().min(1),
      /** The deployment step a `step` statement ticks or decides. */
      step: z.number().int().min(1).max(13).optional(),
      revision: z.number().int().positive(),
      signer: ZSigner,
      fingerprint: ZFingerprint,
      key: ZDossierPath,
      receivedAt: ZInstant,
    }),
  ),
  /**
   * E3: the patch is option 1's patch on emergency #N's fast path; its gates are
   * these statements, signed on the emergency. Absent for every other patch.
   */
  fastPath: z
    .strictObject({
      emergency: z.strictObject({ id: z.string().min(1), number: z.number().int().positive() }),
      statements: z.array(ZFastPathStatement),
    })
    .optional(),
  /** Every key and the account it is registered to. */
  keys: z.array(
    z.strictObject({ fingerprint: ZFingerprint, file: ZDossierPath, account: ZAccount }),
  ),
  audit: z.strictObject({
    events: ZDossierPath,
    count: ZCount,
    /** The head of the whole chain at export. */
    head: ZHead,
    /** The hashes that link the patch's events to the head (docs/decisions/0008). */
    links: ZDossierPath,
  }),
  /** Issue #16: the checkpoint and inclusion proofs; absent in dossiers made before the log. */
  log: ZBundleLog.optional(),
  deployment: ZDossierPath.nullable(),
  /** The SHA-256 of every file but manifest.json and manifest.json.asc. */
  files: z.record(ZDossierPath, ZSha256),
});
export type TManifest = z.infer<typeof ZManifest>;

/** One audit row as stored: the fields auditHash() covers, plus the hash. */
export const ZEventLine = z.strictObject({
  seq: z.string().regex(/^[1-9][0-9]*$/),
  at: ZInstant,
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  payload: z.unknown(),
  prevHash: ZSha256,
  hash: ZSha256,
});
export type TEventLine = z.infer<typeof ZEventLine>;

const ZPerson = z.strictObject({ account: z.string(), name: z.string(), email: z.string() });

export const ZDeploymentFile = z.strictObject({
  deployments: z.array(
    z.strictObject({
      id: z.string().min(1),
      revision: z.number().int().positive(),
      procedure: z.enum(["WEBDB", "SIGNING_SERVER"]),
      state: z.enum(["OPEN", "COMPLETED", "FAILED"]),
      openedBy: ZPerson,
      openedAt: ZInstant,
      closedAt: ZInstant.nullable(),
      presence: z.array(
        z.strictObject({
          role: z.enum(["CRITICAL_ADMIN", "ACCESS_ENGINEER"]),
          account: z.string(),
          statement: ZDossierPath,
        }),
      ),
      steps: z.array(
        z.strictObject({
          number: z.number().int().min(1).max(13),
          key: z.string(),
          title: z.string(),
          applicability: z.enum(["ALWAYS", "NEVER", "SITUATIONAL"]),
          applicable: z.boolean(),
          applicabilityReason: z.string().nullable(),
          status: z.enum(["PENDING", "DONE", "FAILED", "NOT_APPLICABLE"]),
          doneBy: ZPerson.nullable(),
          doneAt: ZInstant.nullable(),
          evidence: z.unknown(),
          // X1: the signed `step` statements of the tick and of the decision (3–7), if any.
          statement: ZDossierPath.nullable().optional(),
          decisionStatement: ZDossierPath.nullable().optional(),
        }),
      ),
      // P7: the notification's exact MIME part and the critical admin's detached signature, once signed.
      notification: z
        .strictObject({
          part: ZDossierPath,
          signature: ZDossierPath,
          signer: z.strictObject({ account: z.string().min(1), email: z.string() }),
          fingerprint: ZFingerprint,
          key: ZDossierPath,
          receivedAt: ZInstant,
        })
        .optional(),
    }),
  ),
});
export type TDeploymentFile = z.infer<typeof ZDeploymentFile>;
