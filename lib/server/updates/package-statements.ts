import "server-only";
import { z } from "zod";
import { cleanId, cleanText } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor, type TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import {
  checklistStep,
  evidenceProblems,
  missingConfirmations,
  NOTE_MAX,
  nextStep,
  refuseStep,
  type TChecklistStep,
} from "../../domain/manual-checklist";
import {
  buildPackageStatement,
  modeName,
  PACKAGE_STATEMENT_KINDS,
  readPackageStatement,
  type TPackageStatementFields,
} from "../../domain/package-statements";
import { evidenceText } from "../../domain/step-statement";
import { ZKeyFingerprint } from "../keys/signing-key";
import { writeStatement, type TSignerFields } from "../statements/write-statement";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { appendAuditEvent } from "../audit/append-event";
import { completeUpdate } from "./open-update";
import {
  loadPackage,
  lockPackage,
  presentUpdate,
  signableUpdate,
  type TPackageRow,
  type TUpdateRow,
} from "./package-facts";

// The signed statements of the update modes (U4): an admin's package-apply on a
// semi-automatic installation, and each package-step of a manual update's
// checklist (docs/update-packages.md, docs/statements.md).

/** Evidence as a JSON object, or as its text (a query string's `evidence=`). */
const ZEvidence = z
  .union([
    z.record(z.string(), z.unknown()),
    z.string().transform((text, ctx) => {
      if (text.trim() === "") return {};
      try {
        const v: unknown = JSON.parse(text);
        if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: "custom", message: "must be a JSON object" });
      return z.NEVER;
    }),
  ])
  .default({});

const EVIDENCE_WORDS =
  "package-step: the step's confirmations (each `true`: licenceKept for step 3, databaseIncChecked for 5 and 7, os4xrd, os4xsqd, os4xdebugd, os4xclientd for 10) and an optional `note`. In a query string: the object as JSON.";

export const ZIssuePackageStatement = z.object({
  id: cleanId(),
  kind: z.enum(PACKAGE_STATEMENT_KINDS, { error: "kind: package-apply or package-step" }),
  step: z.coerce
    .number()
    .int()
    .min(1)
    .max(99)
    .optional()
    .meta({ description: "package-step: the checklist step's number." }),
  evidence: ZEvidence.meta({ description: EVIDENCE_WORDS }),
  comment: cleanText()
    .max(4000)
    .default("")
    .meta({ description: "package-apply only: a remark written into the statement." }),
  keyFingerprint: ZKeyFingerprint.optional(),
});

/**
 * GET /api/v1/packages/{id}/statement's query string: ZIssuePackageStatement's fields as text,
 * `key` for keyFingerprint and `evidence` as the object's JSON; the use-case parses them.
 */
export const ZPackageStatementQuery = ZIssuePackageStatement.pick({
  kind: true,
  step: true,
  comment: true,
}).extend({
  evidence: z.string().optional().meta({ description: EVIDENCE_WORDS }),
  key: ZKeyFingerprint.optional(),
});

const ZNote = cleanText().max(NOTE_MAX);

const modeWords = {
  AUTOMATIC: "automatically",
  SEMI_AUTOMATIC: "semi-automatically",
  MANUAL: "manually",
} as const;

/** The rules of a package-apply, as the issue and the recording check them. */
function assertMayApply(pkg: TPackageRow): TUpdateRow {
  const update = signableUpdate(pkg);
  if (update.mode !== "SEMI_AUTOMATIC")
    throw new AppError(
      "CONFLICT",
      `${pkg.installation.name} updates ${modeWords[update.mode]}: ` +
        (update.mode === "MANUAL"
          ? "tick its checklist (package-step statements) instead of signing package-apply."
          : "its update completed without a signature."),
    );
  if (update.state !== "AWAITING_APPLY")
    throw new AppError(
      "CONFLICT",
      `This package was already applied${update.completedAt ? ` (${update.completedAt.toISOString()})` : ""}.`,
    );
  return update;
}

/** The rules of a package-step with this evidence; answers the step and its cleaned evidence. */
function assertMayTick(
  pkg: TPackageRow,
  number: number | undefined,
  evidence: Record<string, unknown>,
): { update: TUpdateRow; step: TChecklistStep; evidence: Record<string, unknown> } {
  const update = signableUpdate(pkg);
  if (update.mode !== "MANUAL")
    throw new AppError(
      "CONFLICT",
      `${pkg.installation.name} updates ${modeWords[update.mode]}: there is no checklist to tick` +
        (update.mode === "SEMI_AUTOMATIC" ? " (sign package-apply instead)." : "."),
    );
  if (update.state === "COMPLETED")
    throw new AppError("CONFLICT", "This manual update is complete: every step is ticked.");
  if (number === undefined)
    throw new AppError("VALIDATION", "A package-step statement names its step (step=N).");
  const refusal = refuseStep(
    number,
    pkg.installation.enterprise,
    update.steps.map((s) => s.number),
  );
  if (refusal) throw new AppError(refusal.code, refusal.message);
  const step = checklistStep(number)!;
  const problems = evidenceProblems(step, evidence);
  if (problems.length) throw new AppError("VALIDATION", problems.join("; ") + ".");
  const missing = missingConfirmations(step, evidence);
  if (missing.length)
    throw new AppError(
      "VALIDATION",
      `Step ${step.number} (${step.title}) needs your confirmation: ${missing.join("; ")}.`,
    );
  const clean: Record<string, unknown> = {};
  for (const k of step.confirms) clean[k] = true;
  const note =
    typeof evidence.note === "string"
      ? z
          .object({ evidence: z.object({ note: ZNote }) })
          .parse({ evidence })
          .evidence.note.trim()
      : "";
  if (note) clean.note = note;
  return { update, step, evidence: clean };
}

/**
 * Writes the package statement this person would sign now, with a fresh
 * single-use nonce; refuses early what the recording would refuse.
 */
export async function issuePackageStatement({
  actor,
  ...input
}: { actor: TActor } & (z.input<typeof ZIssuePackageStatement> | Record<string, unknown>)) {
  const person = requirePerson(actor);
  authorize(person, "package:apply");
  const req = ZIssuePackageStatement.parse(input);
  const pkg = await loadPackage(db, req.id);
  const base = {
    installation: pkg.installation.slug,
    packageId: pkg.id,
    packageSha256: pkg.sha256,
    contentSha256: pkg.contentSha256 ?? "",
    signerSubject: pkg.signerSubject ?? "",
  };
  let fields: Omit<
    TPackageStatementFields,
    "signerId" | "signerEmail" | "keyFingerprint" | "nonce" | "issuedAt"
  >;
  if (req.kind === "package-apply") {
    const update = assertMayApply(pkg);
    fields = {
      kind: req.kind,
      verdict: "apply",
      mode: modeName(update.mode),
      ...base,
      comment: req.comment,
    };
  } else {
    if (req.comment)
      throw new AppError(
        "VALIDATION",
        "A package-step statement carries its evidence, not a comment: put a remark in evidence.note.",
      );
    const { update, step, evidence } = assertMayTick(pkg, req.step, req.evidence);
    const text = evidenceText(evidence);
    fields = {
      kind: req.kind,
      verdict: "done",
      mode: modeName(update.mode),
      ...base,
      step: step.number,
      stepKey: step.key,
      evidenceSha256: sha256Hex(text),
      comment: text,
    };
  }
  return writePackageStatement(person, pkg.id, fields, req.keyFingerprint);
}

function writePackageStatement(
  person: TPersonActor,
  packageId: string,
  fields: Omit<TPackageStatementFields, keyof TSignerFields>,
  keyFingerprint?: string,
) {
  return writeStatement(
    person,
    { kind: fields.kind, subjectType: "package", subjectId: packageId },
    (signer) => buildPackageStatement({ ...fields, ...signer }),
    keyFingerprint,
  );
}

export const ZRecordPackageSignoff = z.object({
  id: cleanId(),
  statement: z
    .string()
    .min(1)
    .max(100_000)
    .meta({ description: "Exactly the text GET .../statement returned." }),
  signature: z
    .string()
    .min(1)
    .max(100_000)
    .meta({ description: "The ASCII-armored detached signature over those bytes." }),
});

/**
 * Records a signed package-apply or package-step. The signature is checked
 * first; then, under the package's lock, the statement must still name this
 * package's bytes and every rule it was issued under must still hold. The
 * statement, the change and the audit event are written together; the update
 * that completes writes its post-update event to the outbox in the same
 * transaction.
 */
export async function recordPackageSignoff({
  actor,
  ...input
}: { actor: TActor } & (z.input<typeof ZRecordPackageSignoff> | Record<string, unknown>)) {
  const person = requirePerson(actor);
  authorize(person, "package:apply");
  const req = ZRecordPackageSignoff.parse(input);
  const v = await verifySubmission(person, req.statement, req.signature);
  const read = v.nonce.subjectType === "package" ? readPackageStatement(v.parsed, sha256Hex) : null;
  if (!read || read.kind !== v.nonce.kind)
    throw new AppError("VALIDATION", "This is not a package statement.");

  const id = await db.$transaction(async (tx: Tx) => {
    const pkg = await lockPackage(tx, req.id);
    if (pkg.id !== v.nonce.subjectId || read.packageId !== pkg.id)
      throw new AppError("VALIDATION", "This statement is about another package.");
    if (read.packageSha256 !== pkg.sha256 || read.contentSha256 !== (pkg.contentSha256 ?? ""))
      throw new AppError(
        "CONFLICT",
        "The statement's package or content hash is not this package's: fetch a new statement.",
      );
    if (read.kind === "package-apply") await recordApply(tx, person, pkg, v, req.signature);
    else await recordStep(tx, person, pkg, read.step!, v, req.signature);
    return pkg.id;
  });
  return presentUpdate(await loadPackage(db, id))!;
}

type TVerified = Awaited<ReturnType<typeof verifySubmission>>;

async function recordApply(
  tx: Tx,
  person: TPersonActor,
  pkg: TPackageRow,
  v: TVerified,
  signature: string,
) {
  const update = assertMayApply(pkg);
  const signed = await storeSignedStatement(tx, person, v, signature);
  const { count } = await tx.packageUpdate.updateMany({
    where: { id: update.id, state: "AWAITING_APPLY", applyStatementId: null },
    data: {
      state: "COMPLETED",
      appliedById: person.id,
      applyStatementId: signed.id,
      completedAt: signed.receivedAt,
    },
  });
  if (count === 0) throw new AppError("CONFLICT", "This package was applied meanwhile.");
  await appendAuditEvent(tx, {
    actor: person,
    action: "package.applied",
    subjectType: "package",
    subjectId: pkg.id,
    payload: {
      packageId: pkg.id,
      updateId: update.id,
      fingerprint: signed.fingerprint,
      statementId: signed.id,
    },
  });
  await completeUpdate(tx, person, update.id, pkg.id, "SEMI_AUTOMATIC");
}

async function recordStep(
  tx: Tx,
  person: TPersonActor,
  pkg: TPackageRow,
  signedStep: NonNullable<ReturnType<typeof readPackageStatement>>["step"] & object,
  v: TVerified,
  signature: string,
) {
  const { update, step, evidence } = assertMayTick(pkg, signedStep.number, signedStep.evidence);
  if (step.key !== signedStep.key || evidenceText(evidence) !== evidenceText(signedStep.evidence))
    throw new AppError(
      "VALIDATION",
      "The statement's step or evidence is not what the step records.",
    );
  const signed = await storeSignedStatement(tx, person, v, signature);
  await tx.packageUpdateStep.create({
    data: {
      updateId: update.id,
      number: step.number,
      key: step.key,
      evidence: evidence as Record<string, string | boolean>,
      statementId: signed.id,
      tickedById: person.id,
      tickedAt: signed.receivedAt,
    },
  });
  await appendAuditEvent(tx, {
    actor: person,
    action: "package.step-ticked",
    subjectType: "package",
    subjectId: pkg.id,
    payload: {
      packageId: pkg.id,
      updateId: update.id,
      step: step.number,
      key: step.key,
      fingerprint: signed.fingerprint,
      statementId: signed.id,
    },
  });
  const ticked = [...update.steps.map((s) => s.number), step.number];
  if (nextStep(pkg.installation.enterprise, ticked)) return;
  const { count } = await tx.packageUpdate.updateMany({
    where: { id: update.id, state: "IN_PROGRESS" },
    data: { state: "COMPLETED", completedAt: signed.receivedAt },
  });
  if (count === 0) throw new AppError("CONFLICT", "This manual update was completed meanwhile.");
  await completeUpdate(tx, person, update.id, pkg.id, "MANUAL");
}

/** GET /api/v1/packages/:id/checklist: a manual update's steps, ticked or not, and the next one. */
export async function packageChecklist({ actor, id }: { actor: TActor; id: string }) {
  const person = requirePerson(actor);
  authorize(person, "package:read");
  const pkg = await loadPackage(db, cleanId().parse(id));
  const update = signableUpdate(pkg);
  if (update.mode !== "MANUAL")
    throw new AppError(
      "CONFLICT",
      `${pkg.installation.name} updates ${modeWords[update.mode]}: there is no checklist.`,
    );
  const u = presentUpdate(pkg)!;
  return {
    ...u.checklist!,
    packageId: pkg.id,
    updateId: update.id,
    installation: u.installation,
    state: u.state,
    completedAt: u.completedAt,
  };
}
