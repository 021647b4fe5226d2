// Release updates (S3) for the verification tests: an approved update record
// written straight to the database (the record helper's use-cases are tested
// on their own), and a tester's signed update-verify sign-off made the same way,
// each with a real signed statement over the text buildUpdateStatement makes.
import { createHash, randomBytes } from "node:crypto";
import { db } from "../lib/db";
import { buildUpdateStatement, type TUpdateStatementFields } from "../lib/domain/update-statements";
import type { TrackerKind } from "../lib/generated/prisma/client";
import { detachSign, type TSigner } from "./signers";

let made = 0;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export const PACKAGES = [
  "python-acme",
  "python-certbot",
  "python-certbot-apache",
  "python-certbot-nginx",
];

/** A signed statement of `signer` about update `updateId`, stored as accept-statement stores one. */
export async function storeUpdateStatement(
  signer: TSigner,
  updateId: string,
  fields: Omit<
    TUpdateStatementFields,
    "signerId" | "signerEmail" | "keyFingerprint" | "nonce" | "issuedAt"
  >,
) {
  const nonce = randomBytes(16).toString("hex");
  const at = new Date();
  const statement = buildUpdateStatement({
    ...fields,
    signerId: signer.id,
    signerEmail: signer.email,
    keyFingerprint: signer.fingerprint,
    nonce,
    issuedAt: at,
  });
  const key = await db.pgpKey.findUniqueOrThrow({ where: { fingerprint: signer.fingerprint } });
  const n = await db.statementNonce.create({
    data: {
      nonce,
      userId: signer.id,
      kind: fields.kind,
      subjectType: "update",
      subjectId: updateId,
      statement,
      expiresAt: new Date(at.getTime() + 3_600_000),
      usedAt: at,
    },
  });
  return db.signedStatement.create({
    data: {
      kind: fields.kind,
      subjectType: "update",
      subjectId: updateId,
      signerId: signer.id,
      keyId: key.id,
      fingerprint: signer.fingerprint,
      statement,
      signature: await detachSign(signer.privateKey, statement),
      nonceId: n.id,
    },
  });
}

export type TTracker = { kind: TrackerKind; url: string; secretEnv: string } | null;

/** The certbot update of the seed, submitted by `submitter` (revision 1) and APPROVED. */
export async function makeApprovedRecord(submitter: TSigner, tracker: TTracker = null) {
  made += 1;
  const tag = `${made}-${process.pid}-${Date.now()}`;
  const system = await db.targetSystem.create({
    data: {
      slug: `ubuntu-${tag}`,
      name: "Ubuntu",
      trackerKind: tracker?.kind ?? null,
      trackerUrl: tracker?.url ?? null,
      trackerSecretEnv: tracker?.secretEnv ?? null,
    },
  });
  const body = "[Impact]\n\nCertbot 2.9.0 for the stable series.\n";
  const template = await db.updateTemplate.create({
    data: { slug: `sru-${tag}`, name: "SRU", body },
  });
  const record = await db.updateRecord.create({
    data: {
      title: "certbot 2.9.0",
      templateId: template.id,
      systemId: system.id,
      packages: PACKAGES,
      version: "2.9.0",
      series: ["focal", "jammy", "noble"],
      bugId: "1640978",
      body,
      state: "APPROVED",
      revision: 1,
      createdById: submitter.id,
      submittedAt: new Date(),
      approvedAt: new Date(),
    },
  });
  const fields = {
    updateId: record.id,
    updateNumber: record.number,
    revision: 1,
    title: record.title,
    system: system.slug,
    packages: record.packages,
    version: record.version,
    bugId: record.bugId,
    bodySha256: sha256(body),
  };
  const statement = await storeUpdateStatement(submitter, record.id, {
    ...fields,
    kind: "update-submit",
    verdict: "submit",
    series: record.series,
    comment: body,
  });
  await db.updateRevision.create({
    data: {
      updateId: record.id,
      number: 1,
      title: record.title,
      packages: record.packages,
      version: record.version,
      series: record.series,
      bugId: record.bugId,
      body,
      bodySha256: sha256(body),
      submittedById: submitter.id,
      statementId: statement.id,
    },
  });
  return { record, system, fields };
}

/** A tester's signed update-verify of one series, as the record helper's sign-off stores it. */
export async function makeVerifySignoff(
  r: Awaited<ReturnType<typeof makeApprovedRecord>>,
  tester: TSigner,
  opts: {
    series: string;
    verdict: "pass" | "fail";
    comment: string;
    versions: Record<string, string>;
  },
) {
  const evidence = { series: opts.series, checks: [] };
  const evidenceSha256 = sha256(JSON.stringify(evidence));
  const statement = await storeUpdateStatement(tester, r.record.id, {
    ...r.fields,
    kind: "update-verify",
    verdict: opts.verdict,
    series: [opts.series],
    versions: opts.versions,
    evidenceSha256,
    comment: opts.comment,
  });
  return db.updateSignoff.create({
    data: {
      updateId: r.record.id,
      revision: 1,
      kind: "VERIFY",
      verdict: opts.verdict,
      signerId: tester.id,
      series: opts.series,
      evidence,
      evidenceSha256,
      comment: opts.comment,
      statementId: statement.id,
    },
  });
}
