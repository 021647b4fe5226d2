import "server-only";
import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanLine, cleanText } from "../../domain/input-hygiene";
import { readHttpsHost } from "../../domain/https-host";
import { certificateFacts, factsJson, pemCertificates } from "../../net/certificate-facts";
import { appendAuditEvent } from "../audit/append-event";
import { loadApprovedRecord, ZHttpUrl, ZRecordId, ZSeriesName } from "./verification-record";

// S3: evidence a tester records for one series of the approved revision: the
// certificate obtained over ACME, and the dep8 smoke test (a link and the result).

export const MAX_ACME_CERTIFICATE_BYTES = 64 * 1024;

const ZDomain = cleanLine()
  .max(300)
  .transform((s, ctx) => {
    const wildcard = s.trim().startsWith("*.");
    const r = readHttpsHost(wildcard ? s.trim().slice(2) : s);
    if ("host" in r) return wildcard ? `*.${r.host}` : r.host;
    ctx.addIssue({ code: "custom", message: r.problem.replace(/^Host/, "Domain") });
    return z.NEVER;
  });

const ZAcme = z.object({
  kind: z.literal("acme"),
  domain: ZDomain.meta({ description: "acme: the name the certificate was obtained for." }),
  acmeServer: ZHttpUrl("acmeServer")
    .refine(
      (s) => s.toLowerCase().startsWith("https://"),
      "acmeServer: the https URL of the ACME directory",
    )
    .meta({ description: "acme: the https URL of the ACME directory." }),
  certificate: cleanText()
    .refine(
      (s) => Buffer.byteLength(s, "utf8") <= MAX_ACME_CERTIFICATE_BYTES,
      `certificate: at most ${MAX_ACME_CERTIFICATE_BYTES / 1024} KiB of PEM`,
    )
    .meta({
      description: "acme: the certificate issued, PEM, the leaf first (at most 64 KiB).",
    }),
});

const ZSmoke = z.object({
  kind: z.literal("smoke"),
  url: ZHttpUrl("url")
    .refine(
      (s) => /^https?:\/\//i.test(s),
      "url: an http(s) link to the test's result (pending-sru.html, the autopkgtest log)",
    )
    .meta({
      description: "smoke: http(s) link to the result (pending-sru.html, the autopkgtest log).",
    }),
  result: z.enum(["pass", "fail"]).meta({ description: "smoke: the test's result." }),
});

/** The JSON body of POST .../series/{series}/evidence. */
export const ZSeriesEvidenceBody = z.discriminatedUnion("kind", [ZAcme, ZSmoke]).meta({
  description:
    "acme: `kind`, `domain`, `acmeServer`, `certificate` (all required); smoke: `kind`, `url`, `result`.",
});

export const ZRecordSeriesEvidence = z.intersection(
  z.object({ id: ZRecordId, series: ZSeriesName }),
  ZSeriesEvidenceBody,
);
export type TRecordSeriesEvidence = z.input<typeof ZRecordSeriesEvidence>;

export type TSeriesEvidenceView = {
  id: string;
  updateId: string;
  revision: number;
  series: string;
  kind: "acme" | "smoke";
  facts: unknown;
  ok: boolean;
  reason: string;
  recordedById: string;
  createdAt: string;
};

export function seriesEvidenceView(e: {
  id: string;
  updateId: string;
  revision: number;
  series: string;
  kind: "ACME" | "SMOKE";
  facts: unknown;
  ok: boolean;
  reason: string;
  recordedById: string;
  createdAt: Date;
}): TSeriesEvidenceView {
  return {
    id: e.id,
    updateId: e.updateId,
    revision: e.revision,
    series: e.series,
    kind: e.kind === "ACME" ? "acme" : "smoke",
    facts: e.facts,
    ok: e.ok,
    reason: e.reason,
    recordedById: e.recordedById,
    createdAt: e.createdAt.toISOString(),
  };
}

/** The ACME certificate's facts and verdict: valid now and for the domain. */
export function acmeVerdict(domain: string, pem: string, now = new Date()) {
  const der = pemCertificates(pem)[0];
  const facts = der ? certificateFacts(der) : null;
  if (!der || !facts)
    throw new AppError(
      "VALIDATION",
      "certificate: the PEM certificate the ACME server issued (-----BEGIN CERTIFICATE-----, the leaf first)",
    );
  const reasons: string[] = [];
  if (now < facts.notBefore)
    reasons.push(`the certificate is not valid before ${facts.notBefore.toISOString()}`);
  if (now > facts.notAfter)
    reasons.push(`the certificate expired on ${facts.notAfter.toISOString()}`);
  const name = domain.startsWith("*.") ? `wildcard.${domain.slice(2)}` : domain;
  const x509 = new X509Certificate(der);
  const valid = domain.startsWith("*.")
    ? facts.sans.includes(`DNS:${domain}`)
    : x509.checkHost(name, { subject: "default" }) !== undefined;
  if (!valid)
    reasons.push(
      `the certificate is not valid for ${domain} (it names ${facts.sans.join(", ") || facts.subject})`,
    );
  return { facts, ok: reasons.length === 0, reason: reasons.join("; ") };
}

/**
 * Records one piece of evidence for a series of the approved revision, with its audit event.
 * The submitter of that revision may not record evidence for it (another person verifies).
 */
export async function recordSeriesEvidence(
  input: { actor: TActor } & TRecordSeriesEvidence,
): Promise<TSeriesEvidenceView> {
  authorize(input.actor, "update:verify");
  const person = requirePerson(input.actor);
  const parsed = ZRecordSeriesEvidence.parse(input);
  const { id, series } = parsed;
  let kind: "ACME" | "SMOKE";
  let facts: Record<string, unknown>;
  let ok: boolean;
  let reason: string;
  if (parsed.kind === "acme") {
    const v = acmeVerdict(parsed.domain, parsed.certificate);
    kind = "ACME";
    facts = {
      domain: parsed.domain,
      acmeServer: parsed.acmeServer,
      certificate: factsJson(v.facts),
    };
    ok = v.ok;
    reason = v.reason;
  } else {
    kind = "SMOKE";
    facts = { url: parsed.url, result: parsed.result };
    ok = parsed.result === "pass";
    reason = ok ? "" : "the dep8 smoke test failed";
  }
  return db.$transaction(async (tx: Tx) => {
    const record = await loadApprovedRecord(tx, id, series);
    const revision = await tx.updateRevision.findUnique({
      where: { updateId_number: { updateId: record.id, number: record.revision } },
      select: { submittedById: true },
    });
    if (revision?.submittedById === person.id)
      throw new AppError(
        "FORBIDDEN",
        `You submitted revision ${record.revision} of update #${record.number}: another person records its verification.`,
      );
    const row = await tx.seriesEvidence.create({
      data: {
        updateId: record.id,
        revision: record.revision,
        series,
        kind,
        facts: facts as object,
        ok,
        reason,
        recordedById: person.id,
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "update.evidence-recorded",
      subjectType: "update",
      subjectId: record.id,
      payload: {
        number: record.number,
        revision: record.revision,
        series,
        kind,
        evidenceId: row.id,
        ok,
      },
    });
    return seriesEvidenceView(row);
  });
}
