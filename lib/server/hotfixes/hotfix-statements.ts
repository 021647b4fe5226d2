import "server-only";
import { z } from "zod";
import { cleanId, cleanText } from "../../domain/input-hygiene";
import { db } from "../../db";
import { authorize, requirePerson, type TActor, type TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import {
  buildHotfixStatement,
  HOTFIX_STATEMENT_KINDS,
  type THotfixStatementFields,
} from "../../domain/hotfix-statements";
import { parseStatement } from "../../domain/statements";
import { ZKeyFingerprint } from "../keys/signing-key";
import { writeStatement } from "../statements/write-statement";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { appendAuditEvent } from "../audit/append-event";
import {
  latestApplications,
  loadHotfix,
  lockHotfix,
  presentHotfix,
  type THotfixRow,
} from "./hotfix-facts";

const flag = z
  .union([z.boolean(), z.enum(["1", "0", "true", "false", "yes", "no", ""])])
  .transform((v) => v === true || v === "1" || v === "true" || v === "yes")
  .default(false);

export const ZIssueHotfixStatement = z.object({
  name: cleanId(200),
  kind: z.enum(HOTFIX_STATEMENT_KINDS, { error: "kind: hotfix-release or hotfix-verify" }),
  server: cleanId(63).optional(),
  direct: flag,
  maxProcessesZero: flag,
  comment: cleanText().max(4000).default(""),
  keyFingerprint: ZKeyFingerprint.optional(),
});

/** GET /api/v1/hotfixes/{name}/statement's query string: the fields above, the fingerprint as `key`. */
export const ZHotfixStatementQuery = ZIssueHotfixStatement.omit({
  name: true,
  keyFingerprint: true,
}).extend({ key: ZKeyFingerprint.optional() });

function assertMayRelease(hotfix: THotfixRow, person: TPersonActor) {
  authorize(person, "hotfix:release");
  if (hotfix.uploadedById === person.id)
    throw new AppError(
      "FORBIDDEN",
      "You uploaded this hotfix: its release is signed by another critical admin or assessor.",
    );
  if (hotfix.releasedAt) throw new AppError("CONFLICT", `${hotfix.name} is already released.`);
}

/** The application on this server a verification would confirm: a fresh apply or unapply. */
function toVerify(hotfix: THotfixRow, server: string) {
  const a = latestApplications(hotfix).find((x) => x.server.slug === server);
  if (a?.state === "APPLIED") return { application: a, action: "apply" as const };
  if (a?.state === "UNAPPLIED" && !a.unapplyVerifiedAt)
    return { application: a, action: "unapply" as const };
  throw new AppError(
    "CONFLICT",
    a
      ? `Nothing to verify on ${server}: its application is ${a.state.toLowerCase()}.`
      : `${hotfix.name} has not been applied to ${server}.`,
  );
}

/**
 * Writes the hotfix statement this person would sign now, with a fresh
 * single-use nonce; refuses early what the recording would refuse.
 */
export async function issueHotfixStatement({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZIssueHotfixStatement>) {
  const person = requirePerson(actor);
  authorize(person, "hotfix:read");
  const req = ZIssueHotfixStatement.parse(input);
  const hotfix = await loadHotfix(db, req.name);
  const fields: Omit<
    THotfixStatementFields,
    "signerId" | "signerEmail" | "keyFingerprint" | "nonce" | "issuedAt"
  > = {
    kind: req.kind,
    hotfix: hotfix.name,
    hotfixSha256: hotfix.sha256,
    product: hotfix.product,
    version: hotfix.version,
    comment: req.comment,
  };
  if (req.kind === "hotfix-release") assertMayRelease(hotfix, person);
  else {
    authorize(person, "hotfix:manage");
    if (!req.server)
      throw new AppError("VALIDATION", "A hotfix-verify statement names its server.");
    const { application, action } = toVerify(hotfix, req.server);
    Object.assign(fields, {
      server: application.server.slug,
      serverRole: application.server.role.toLowerCase(),
      action,
      direct: req.direct,
      maxProcessesZero: req.maxProcessesZero,
    });
  }
  return writeStatement(
    person,
    { kind: req.kind, subjectType: "hotfix", subjectId: hotfix.id },
    (signer) => buildHotfixStatement({ ...fields, ...signer }),
    req.keyFingerprint,
  );
}

export const ZRecordHotfixSignoff = z.object({
  name: cleanId(200),
  statement: z.string().min(1).max(100_000),
  signature: z.string().min(1).max(100_000),
});

/** Records a signed hotfix-release or hotfix-verify, re-checking its rules under the hotfix's lock. */
export async function recordHotfixSignoff({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRecordHotfixSignoff>) {
  const person = requirePerson(actor);
  authorize(person, "hotfix:read");
  const req = ZRecordHotfixSignoff.parse(input);
  const v = await verifySubmission(person, req.statement, req.signature);
  if (
    v.nonce.subjectType !== "hotfix" ||
    !(HOTFIX_STATEMENT_KINDS as readonly string[]).includes(v.nonce.kind)
  )
    throw new AppError("VALIDATION", "This is not a hotfix statement.");
  const fields = parseStatement(req.statement)!;

  return db.$transaction(async (tx) => {
    const hotfix = await lockHotfix(tx, req.name);
    if (hotfix.id !== v.nonce.subjectId)
      throw new AppError("VALIDATION", `This statement is about another hotfix than ${req.name}.`);
    if (v.nonce.kind === "hotfix-release") {
      assertMayRelease(hotfix, person);
      const signed = await storeSignedStatement(tx, person, v, req.signature);
      const { count } = await tx.hotfix.updateMany({
        where: { id: hotfix.id, releasedAt: null },
        data: {
          releaseStatementId: signed.id,
          releasedById: person.id,
          releasedAt: signed.receivedAt,
        },
      });
      if (count === 0) throw new AppError("CONFLICT", `${hotfix.name} is already released.`);
      await appendAuditEvent(tx, {
        actor,
        action: "hotfix.released",
        subjectType: "hotfix",
        subjectId: hotfix.id,
        payload: { name: hotfix.name, fingerprint: signed.fingerprint, statementId: signed.id },
      });
    } else {
      authorize(person, "hotfix:manage");
      const { application, action } = toVerify(hotfix, fields.server ?? "");
      if (fields.action !== action)
        throw new AppError(
          "CONFLICT",
          `The statement verifies an ${fields.action}; the server's last change was an ${action}.`,
        );
      const signed = await storeSignedStatement(tx, person, v, req.signature);
      const { count } =
        action === "apply"
          ? await tx.hotfixApplication.updateMany({
              where: { id: application.id, state: "APPLIED" },
              data: {
                state: "VERIFIED",
                verifiedAt: signed.receivedAt,
                verifyStatementId: signed.id,
              },
            })
          : await tx.hotfixApplication.updateMany({
              where: { id: application.id, state: "UNAPPLIED", unapplyVerifiedAt: null },
              data: { unapplyVerifiedAt: signed.receivedAt, unapplyVerifyStatementId: signed.id },
            });
      if (count === 0) throw new AppError("CONFLICT", "This change was verified meanwhile.");
      await appendAuditEvent(tx, {
        actor,
        action: "hotfix.verified",
        subjectType: "hotfix",
        subjectId: hotfix.id,
        payload: {
          name: hotfix.name,
          server: application.server.slug,
          action,
          fingerprint: signed.fingerprint,
          statementId: signed.id,
        },
      });
    }
    return presentHotfix(await loadHotfix(tx, hotfix.name));
  });
}
