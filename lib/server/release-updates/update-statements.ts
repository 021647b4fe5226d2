import "server-only";
import { z } from "zod";
import { db, type Prisma, type Tx } from "../../db";
import { authorize, requirePerson, type TActor, type TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { cleanId, cleanLine, cleanText } from "../../domain/input-hygiene";
import type { TPermission } from "../../domain/permissions";
import { parseStatement, type TParsedStatement } from "../../domain/statements";
import { evidenceText } from "../../domain/step-statement";
import { describeTodos, findTodos } from "../../domain/update-template";
import { isComplete, missingChecks } from "../../domain/update-tags";
import {
  buildUpdateStatement,
  readUpdateStatement,
  UPDATE_STATEMENT_KINDS,
  UPDATE_VERDICTS,
  type TReadUpdateStatement,
  type TUpdateStatementFields,
  type TUpdateStatementKind,
} from "../../domain/update-statements";
import { writeOutbox } from "../../jobs/outbox";
import { ZKeyFingerprint } from "../keys/signing-key";
import { writeStatement, type TSignerFields } from "../statements/write-statement";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { appendAuditEvent } from "../audit/append-event";
import { isUniqueViolation } from "../prisma-errors";
import { ZVersion } from "./update-fields";
import {
  currentChanges,
  currentRevision,
  currentSignoffs,
  evidenceFacts,
  httpsFacts,
  loadUpdate,
  lockUpdate,
  outcomeOf,
  presentUpdate,
  seriesFacts,
  seriesRows,
  type TUpdateRow,
} from "./update-facts";

// The four signed statements of a release update (S1–S3; docs/statements.md,
// docs/release-updates.md "Submitting and revisions" and "Review"):
// update-submit (the submitter signs the filled text: a new revision),
// update-review (approve or reject), update-major-ack (an incompatible change
// still fit to reach users automatically) and update-verify (one series, pass
// or fail, over the evidence recorded for it). Every one binds the revision it
// is about and the SHA-256 of that revision's text; an edit voids them.

/** The permission each kind needs. */
export const UPDATE_KIND_PERMISSION: Record<TUpdateStatementKind, TPermission> = {
  "update-submit": "update:submit",
  "update-review": "update:review",
  "update-major-ack": "update:review",
  "update-verify": "update:verify",
};

const VERSIONS_DESCRIPTION =
  "update-verify: the version verified of every package of the family. In a query string: the object as JSON.";

/** Package → version verified. */
const ZVersionsObject = z.record(cleanLine().trim().min(1).max(100), ZVersion);

/** The same object as JSON text (a query string's `versions=`). */
const ZVersionsText = z.string().transform((text, ctx) => {
  try {
    const v: unknown = JSON.parse(text);
    const parsed = ZVersionsObject.safeParse(v);
    if (parsed.success) return parsed.data;
  } catch {
    // reported below
  }
  ctx.addIssue({
    code: "custom",
    message: 'must be a JSON object of package versions, e.g. {"python-acme":"2.11.0-1"}',
  });
  return z.NEVER;
});

/** Versions as a JSON object, or as its text. */
const ZVersions = z.union([ZVersionsObject, ZVersionsText]);

const ASK = {
  kind: z.enum(UPDATE_STATEMENT_KINDS, {
    error: "kind: update-submit, update-review, update-major-ack or update-verify",
  }),
  verdict: cleanLine().trim().max(20).optional().meta({
    description:
      "update-review: approve | reject; update-verify: pass | fail; update-submit (submit) and update-major-ack (acknowledge) have one and need none.",
  }),
  series: cleanLine()
    .trim()
    .max(40)
    .optional()
    .meta({ description: "update-verify: the series verified." }),
  change: z.coerce.number().int().min(1).max(999).optional().meta({
    description: "update-major-ack: the change's number in the current revision's Major Changes.",
  }),
  comment: cleanText().max(4000).default("").meta({
    description:
      "The signer's words (update-verify: the comment that goes to the bug tracker). Required for a rejection and a failed verification. update-submit signs the body instead.",
  }),
  key: ZKeyFingerprint.optional().meta({ description: "A key fingerprint." }),
};

/** The statement asked for in a JSON body (POST .../statement; the path names the update). */
export const ZIssueUpdateStatementBody = z.object({
  kind: ASK.kind,
  verdict: ASK.verdict,
  series: ASK.series,
  change: ASK.change,
  versions: ZVersions.optional().meta({ description: VERSIONS_DESCRIPTION }),
  comment: ASK.comment,
  keyFingerprint: ASK.key,
});

export const ZIssueUpdateStatement = z.object({
  id: cleanId(),
  ...ZIssueUpdateStatementBody.shape,
});

/** The statement asked for in a query string (GET .../statement): the same, `key` for the key. */
export const ZUpdateStatementQuery = z.object({
  kind: ASK.kind,
  verdict: ASK.verdict,
  series: ASK.series,
  change: ASK.change,
  versions: ZVersionsText.optional().meta({ description: VERSIONS_DESCRIPTION }),
  comment: ASK.comment,
  key: ASK.key,
});

type TFields = Omit<TUpdateStatementFields, keyof TSignerFields>;

/** What a statement of a kind says, as the rules make it now (issue and recording alike). */
type TPlan = {
  fields: TFields;
  /** update-verify: the evidence the statement's evidence-sha256 covers. */
  evidence?: Record<string, unknown>;
};

type TAsk = {
  kind: TUpdateStatementKind;
  verdict?: string;
  series?: string;
  change?: number;
  versions?: Record<string, string>;
  comment: string;
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** update-submit is refused while any TODO remains, listing each (section and line). */
function refuseTodos(u: TUpdateRow) {
  const todos = findTodos(u.body);
  if (!todos.length) return;
  throw new AppError(
    "VALIDATION",
    `This record still holds ${todos.length} TODO placeholder${todos.length === 1 ? "" : "s"}; ` +
      `fill ${todos.length === 1 ? "it" : "each"} before submitting:\n${describeTodos(todos)}`,
    { todos },
  );
}

function verdictOf(ask: TAsk): string {
  const allowed = UPDATE_VERDICTS[ask.kind];
  const verdict = ask.verdict ?? (allowed.length === 1 ? allowed[0] : undefined);
  if (!verdict || !allowed.includes(verdict))
    throw new AppError("VALIDATION", `verdict: ${ask.kind} takes ${allowed.join(" or ")}.`);
  return verdict;
}

/** The creator and the current revision's submitter sign no review, acknowledgement or verification of it. */
function refuseOwn(u: TUpdateRow, person: TPersonActor, what: string) {
  const rev = currentRevision(u);
  if (rev && rev.submittedById === person.id)
    throw new AppError(
      "FORBIDDEN",
      `You submitted revision ${rev.number} of this update: the submitter never ${what} it (separation of duties).`,
    );
  if (u.createdById === person.id)
    throw new AppError(
      "FORBIDDEN",
      `You created this update record: its creator never ${what} it (separation of duties).`,
    );
}

function needState(u: TUpdateRow, state: "SUBMITTED" | "APPROVED", what: string) {
  if (u.state === state) return;
  const why =
    u.state === "DRAFT"
      ? u.revision > 0
        ? `it was edited after revision ${u.revision} was submitted, which voided that revision`
        : "it has not been submitted"
      : `it is ${u.state.toLowerCase()}`;
  throw new AppError(
    "CONFLICT",
    `${cap(what)} needs a ${state.toLowerCase()} update, and ${why}.`,
    { state: u.state },
  );
}

/** The facts every statement names: of the text to be submitted, or of the current revision. */
function baseFields(u: TUpdateRow, kind: TUpdateStatementKind, verdict: string) {
  if (kind === "update-submit")
    return {
      kind,
      verdict,
      updateId: u.id,
      updateNumber: u.number,
      revision: u.revision + 1,
      title: u.title,
      system: u.system.slug,
      packages: u.packages,
      version: u.version,
      series: u.series,
      bugId: u.bugId,
      bodySha256: sha256Hex(u.body),
    };
  const rev = currentRevision(u)!;
  return {
    kind,
    verdict,
    updateId: u.id,
    updateNumber: u.number,
    revision: rev.number,
    title: rev.title,
    system: u.system.slug,
    packages: rev.packages,
    version: rev.version,
    series: rev.series,
    bugId: rev.bugId,
    bodySha256: rev.bodySha256,
  };
}

/**
 * The statement this person may sign now, or the refusal: the one set of
 * rules for issuing a statement and for recording it signed.
 */
function plan(u: TUpdateRow, person: TPersonActor, ask: TAsk): TPlan {
  authorize(person, UPDATE_KIND_PERMISSION[ask.kind]);
  if (ask.kind === "update-submit") {
    refuseTodos(u);
    if (u.state !== "DRAFT")
      throw new AppError(
        "CONFLICT",
        `Revision ${u.revision} of this text is already submitted (${u.state.toLowerCase()}): edit the record to start a new revision.`,
        { state: u.state },
      );
    const verdict = verdictOf(ask);
    return { fields: { ...baseFields(u, ask.kind, verdict), series: u.series, comment: u.body } };
  }
  if (ask.kind === "update-review") {
    needState(u, "SUBMITTED", "a review");
    refuseOwn(u, person, "reviews");
    const verdict = verdictOf(ask);
    if (currentSignoffs(u, "REVIEW").some((s) => s.signerId === person.id))
      throw new AppError(
        "CONFLICT",
        `You already reviewed revision ${u.revision}: one review per person per revision.`,
      );
    if (verdict === "reject" && !ask.comment.trim())
      throw new AppError("VALIDATION", "comment: a rejection says why.");
    return { fields: { ...baseFields(u, ask.kind, verdict), comment: ask.comment } };
  }
  if (ask.kind === "update-major-ack") {
    needState(u, "SUBMITTED", "an acknowledgement");
    refuseOwn(u, person, "acknowledges a change of");
    const verdict = verdictOf(ask);
    const changes = currentChanges(u);
    if (ask.change === undefined)
      throw new AppError("VALIDATION", "change: name the major change by its number.");
    const c = changes.find((x) => x.number === ask.change);
    if (!c)
      throw new AppError(
        "VALIDATION",
        `change: revision ${u.revision} lists ${changes.length} major change${changes.length === 1 ? "" : "s"}, not ${ask.change}.`,
      );
    if (!c.incompatible)
      throw new AppError(
        "VALIDATION",
        `change: major change ${c.number} is not marked not backwards compatible; it needs no acknowledgement.`,
      );
    if (currentSignoffs(u, "MAJOR_ACK").some((s) => s.changeSha256 === c.sha256))
      throw new AppError(
        "CONFLICT",
        `Major change ${c.number} is already acknowledged on revision ${u.revision}.`,
      );
    return {
      fields: {
        ...baseFields(u, ask.kind, verdict),
        change: c.number,
        changeText: c.text,
        changeSha256: c.sha256,
        comment: ask.comment,
      },
    };
  }
  // update-verify
  needState(u, "APPROVED", "a verification");
  if (!ask.series) throw new AppError("VALIDATION", "series: name the series verified.");
  if (!u.series.includes(ask.series))
    throw new AppError(
      "VALIDATION",
      `series: ${ask.series} is not a target series of this update (${u.series.join(", ")}).`,
    );
  refuseOwn(u, person, "verifies");
  const verdict = verdictOf(ask);
  const given = ask.versions ?? {};
  const missing = u.packages.filter((p) => !given[p]);
  if (missing.length)
    throw new AppError(
      "VALIDATION",
      `versions: give the version verified of every package of the family; missing: ${missing.join(", ")}.`,
      { missing },
    );
  const extra = Object.keys(given).filter((p) => !u.packages.includes(p));
  if (extra.length)
    throw new AppError(
      "VALIDATION",
      `versions: ${extra.join(", ")} ${extra.length === 1 ? "is" : "are"} not in this update's package family.`,
    );
  const facts = seriesFacts(u).find((s) => s.series === ask.series)!.facts;
  if (verdict === "pass" && !isComplete(facts))
    throw new AppError(
      "VALIDATION",
      `A pass needs every check of ${ask.series} ok; still missing: ${missingChecks(facts).join("; ")}.`,
      { missingChecks: missingChecks(facts) },
    );
  if (verdict === "fail" && !ask.comment.trim())
    throw new AppError("VALIDATION", "comment: a failed verification says why.");
  const versions = Object.fromEntries(u.packages.map((p) => [p, given[p]]));
  const r = seriesRows(u, ask.series);
  const evidence = {
    versions,
    acme: r.acme ? evidenceFacts(r.acme) : null,
    apache: r.apache ? httpsFacts(r.apache) : null,
    nginx: r.nginx ? httpsFacts(r.nginx) : null,
    smoke: r.smoke ? evidenceFacts(r.smoke) : null,
  };
  return {
    fields: {
      ...baseFields(u, ask.kind, verdict),
      series: [ask.series],
      versions,
      evidenceSha256: sha256Hex(evidenceText(evidence)),
      comment: ask.comment,
    },
    evidence,
  };
}

/**
 * Writes the update statement this person would sign now, with a fresh
 * single-use nonce; refuses early what the recording would refuse.
 */
export async function issueUpdateStatement({
  actor,
  ...input
}: { actor: TActor } & (z.input<typeof ZIssueUpdateStatement> | Record<string, unknown>)) {
  const person = requirePerson(actor);
  authorize(person, "update:read");
  const req = ZIssueUpdateStatement.parse(input);
  const u = await loadUpdate(req.id);
  const { fields } = plan(u, person, req);
  return writeStatement(
    person,
    { kind: fields.kind, subjectType: "update", subjectId: u.id },
    (signer) => buildUpdateStatement({ ...fields, ...signer }),
    req.keyFingerprint,
  );
}

/** A signed statement (POST .../signoffs and .../submit; the path names the update). */
export const ZSignedUpdateStatement = z.object({
  statement: z
    .string()
    .min(1)
    .max(200_000)
    .meta({ description: "Exactly the text GET .../statement returned." }),
  signature: z
    .string()
    .min(1)
    .max(100_000)
    .meta({ description: "The ASCII-armored detached signature over those bytes." }),
});

export const ZRecordUpdateSignoff = z.object({ id: cleanId(), ...ZSignedUpdateStatement.shape });

const list = (xs: string[]) => xs.join(", ");

/** The statement's facts are exactly what the rules make now; otherwise the record moved on (409). */
function assertSameFacts(p: TParsedStatement, read: TReadUpdateStatement, f: TFields) {
  const want: Record<string, string> = {
    title: f.title,
    system: f.system,
    packages: list(f.packages),
    version: f.version,
    series: list(f.series),
    bug: f.bugId,
  };
  const moved = Object.entries(want).filter(([k, v]) => (p[k] ?? "") !== v);
  if (read.bodySha256 !== f.bodySha256) moved.unshift(["body-sha256", f.bodySha256]);
  if (f.changeSha256 && read.change?.sha256 !== f.changeSha256) moved.push(["change", ""]);
  if (f.evidenceSha256 && read.evidenceSha256 !== f.evidenceSha256) moved.push(["evidence", ""]);
  if (moved.length)
    throw new AppError(
      "CONFLICT",
      `The update changed since this statement was issued (${moved.map(([k]) => k).join(", ")}): fetch a new statement.`,
    );
}

/**
 * Records a signed update statement of any kind. The statement is read, its
 * kind authorized (and for update-submit the TODO rule applied) before the
 * signature is checked; then, under the record's lock, it must be about the
 * current revision (a voided one is a 409) and every rule it was issued under
 * must still hold. The statement, its row, the audit event, any state change
 * and any outbox row are written together.
 */
export function recordUpdateSignoff(
  args: { actor: TActor } & (z.input<typeof ZRecordUpdateSignoff> | Record<string, unknown>),
) {
  return recordSigned(args);
}

/** POST /api/v1/updates/:id/submit: records a signed update-submit only. */
export function submitUpdate(
  args: { actor: TActor } & (z.input<typeof ZRecordUpdateSignoff> | Record<string, unknown>),
) {
  return recordSigned(args, "update-submit");
}

async function recordSigned(
  { actor, ...input }: { actor: TActor } & Record<string, unknown>,
  only?: TUpdateStatementKind,
) {
  const person = requirePerson(actor);
  authorize(person, "update:read");
  const req = ZRecordUpdateSignoff.parse(input);
  const parsed = parseStatement(req.statement);
  const read = parsed ? readUpdateStatement(parsed) : null;
  if (!parsed || !read) throw new AppError("VALIDATION", "This is not an update statement.");
  if (only && read.kind !== only)
    throw new AppError("VALIDATION", `This is a ${read.kind} statement, not ${only}.`);
  authorize(person, UPDATE_KIND_PERMISSION[read.kind]);
  const before = await loadUpdate(req.id);
  if (read.updateId !== before.id)
    throw new AppError("VALIDATION", "This statement is about another update.");
  if (read.kind === "update-submit") refuseTodos(before);

  const v = await verifySubmission(person, req.statement, req.signature);
  if (
    v.nonce.subjectType !== "update" ||
    v.nonce.subjectId !== before.id ||
    v.nonce.kind !== read.kind
  )
    throw new AppError("VALIDATION", "This statement is about another update.");

  try {
    await db.$transaction(async (tx: Tx) => {
      const u = await lockUpdate(tx, before.id);
      assertCurrent(u, read);
      const { fields, evidence } = plan(u, person, {
        kind: read.kind,
        verdict: read.verdict,
        series: read.series[0],
        change: read.change?.number,
        versions: read.versions,
        comment: read.comment,
      });
      assertSameFacts(parsed, read, fields);
      const signed = await storeSignedStatement(tx, person, v, req.signature);
      if (read.kind === "update-submit") await recordSubmit(tx, person, u, fields, signed);
      else if (read.kind === "update-verify")
        await recordVerify(tx, person, u, fields, evidence!, signed);
      else await recordReview(tx, person, u, fields, signed);
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError(
        "CONFLICT",
        read.kind === "update-major-ack"
          ? "This change was acknowledged meanwhile on this revision."
          : read.kind === "update-submit"
            ? "This revision was submitted meanwhile."
            : "You already reviewed this revision: one review per person per revision.",
      );
    throw e;
  }
  return presentUpdate(await loadUpdate(before.id));
}

/** A statement about a revision an edit voided, or about another revision, is refused (409). */
function assertCurrent(u: TUpdateRow, read: TReadUpdateStatement) {
  if (read.kind === "update-submit") {
    if (read.revision !== u.revision + 1 || u.state !== "DRAFT")
      throw new AppError(
        "CONFLICT",
        `This statement would submit revision ${read.revision}, but the record is at revision ${u.revision} (${u.state.toLowerCase()}): fetch a new statement.`,
      );
    return;
  }
  if (read.revision !== u.revision || u.state === "DRAFT")
    throw new AppError(
      "CONFLICT",
      u.state === "DRAFT" && read.revision === u.revision
        ? `Revision ${read.revision} was voided by an edit after it was submitted: nothing more is signed for it.`
        : `This statement is about revision ${read.revision}; the current revision is ${u.revision}.`,
      { revision: u.revision, state: u.state },
    );
}

type TSigned = Awaited<ReturnType<typeof storeSignedStatement>>;

async function recordSubmit(
  tx: Tx,
  person: TPersonActor,
  u: TUpdateRow,
  f: TFields,
  signed: TSigned,
) {
  await tx.updateRevision.create({
    data: {
      updateId: u.id,
      number: f.revision,
      title: u.title,
      packages: u.packages,
      version: u.version,
      series: u.series,
      bugId: u.bugId,
      body: u.body,
      bodySha256: f.bodySha256,
      submittedById: person.id,
      statementId: signed.id,
    },
  });
  const { count } = await tx.updateRecord.updateMany({
    where: { id: u.id, state: "DRAFT", revision: u.revision, updatedAt: u.updatedAt },
    data: {
      state: "SUBMITTED",
      revision: f.revision,
      submittedAt: signed.receivedAt,
      approvedAt: null,
    },
  });
  if (count === 0) throw new AppError("CONFLICT", "This record changed meanwhile: reload it.");
  await appendAuditEvent(tx, {
    actor: person,
    action: "update.submitted",
    subjectType: "update",
    subjectId: u.id,
    payload: {
      number: u.number,
      revision: f.revision,
      bodySha256: f.bodySha256,
      fingerprint: signed.fingerprint,
      statementId: signed.id,
    },
  });
}

/** A review or an acknowledgement, then the review outcome: approved or rejected moves the record. */
async function recordReview(
  tx: Tx,
  person: TPersonActor,
  u: TUpdateRow,
  f: TFields,
  signed: TSigned,
) {
  const ack = f.kind === "update-major-ack";
  await tx.updateSignoff.create({
    data: {
      updateId: u.id,
      revision: f.revision,
      kind: ack ? "MAJOR_ACK" : "REVIEW",
      verdict: f.verdict,
      signerId: person.id,
      changeNumber: f.change ?? null,
      change: f.changeText ?? null,
      changeSha256: f.changeSha256 ?? null,
      comment: f.comment,
      statementId: signed.id,
      createdAt: signed.receivedAt,
    },
  });
  const common = {
    number: u.number,
    revision: f.revision,
    fingerprint: signed.fingerprint,
    statementId: signed.id,
  };
  if (ack)
    await appendAuditEvent(tx, {
      actor: person,
      action: "update.change-acknowledged",
      subjectType: "update",
      subjectId: u.id,
      payload: { ...common, change: f.change!, changeSha256: f.changeSha256! },
    });
  else
    await appendAuditEvent(tx, {
      actor: person,
      action: "update.reviewed",
      subjectType: "update",
      subjectId: u.id,
      payload: { ...common, verdict: f.verdict as "approve" | "reject" },
    });
  const outcome = outcomeOf(await loadUpdate(u.id, tx));
  if (!outcome || outcome.state === "SUBMITTED") return;
  const { count } = await tx.updateRecord.updateMany({
    where: { id: u.id, state: "SUBMITTED", revision: f.revision },
    data: {
      state: outcome.state,
      approvedAt: outcome.state === "APPROVED" ? signed.receivedAt : null,
    },
  });
  if (count === 0) throw new AppError("CONFLICT", "This record changed meanwhile: reload it.");
  await appendAuditEvent(tx, {
    actor: person,
    action: "update.state-changed",
    subjectType: "update",
    subjectId: u.id,
    payload: { number: u.number, revision: f.revision, from: "SUBMITTED", to: outcome.state },
  });
}

/** A series verified (pass or fail): the sign-off with its evidence, and the tracker comment, once. */
async function recordVerify(
  tx: Tx,
  person: TPersonActor,
  u: TUpdateRow,
  f: TFields,
  evidence: Record<string, unknown>,
  signed: TSigned,
) {
  const series = f.series[0];
  const row = await tx.updateSignoff.create({
    data: {
      updateId: u.id,
      revision: f.revision,
      kind: "VERIFY",
      verdict: f.verdict,
      signerId: person.id,
      series,
      evidence: JSON.parse(evidenceText(evidence)) as Prisma.InputJsonValue,
      evidenceSha256: f.evidenceSha256!,
      comment: f.comment,
      statementId: signed.id,
      createdAt: signed.receivedAt,
    },
  });
  await appendAuditEvent(tx, {
    actor: person,
    action: "update.verified",
    subjectType: "update",
    subjectId: u.id,
    payload: {
      number: u.number,
      revision: f.revision,
      series,
      verdict: f.verdict as "pass" | "fail",
      evidenceSha256: f.evidenceSha256!,
      fingerprint: signed.fingerprint,
      statementId: signed.id,
    },
  });
  await writeOutbox(
    tx,
    "update.verification-comment",
    { signoffId: row.id },
    `update.verification-comment:${row.id}`,
  );
}
