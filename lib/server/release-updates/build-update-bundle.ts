import "server-only";
import { signerAt, signersKeys } from "../dossier/bundle-signers";
import { exportSealedBundle } from "../dossier/export-sealed";
import { z } from "zod";
import type { Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanId } from "../../domain/input-hygiene";
import { evidenceText } from "../../domain/step-statement";
import { updateTags } from "../../domain/update-tags";
import type { TUpdateStatementKind } from "../../domain/update-statements";
import {
  assembleUpdateBundle,
  updateBundleFileName,
  updateBundleRoot,
  type TUpdateBundleInput,
} from "../../dossier/update-bundle";
import { auditExcerpt } from "../dossier/audit-excerpt";
import { loadUpdate, seriesFacts } from "./update-facts";

export const ZBuildUpdateBundle = z.object({
  id: cleanId().meta({
    description: "The update record's id (as POST /api/v1/updates answered it).",
  }),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

const KIND: Record<"REVIEW" | "MAJOR_ACK" | "VERIFY", TUpdateStatementKind> = {
  REVIEW: "update-review",
  MAJOR_ACK: "update-major-ack",
  VERIFY: "update-verify",
};

/** The record, its revisions, sign-offs, evidence, checks and audit events, read from one snapshot. */
async function readUpdateRecord(
  tx: Tx,
  id: string,
  exportedAt: Date,
  portal: TUpdateBundleInput["portal"],
): Promise<TUpdateBundleInput> {
  const u = await tx.updateRecord.findUnique({
    where: { id },
    include: {
      template: { select: { slug: true } },
      system: { select: { slug: true, reviewsRequired: true } },
      createdBy: { select: { id: true, email: true, name: true } },
      revisions: { orderBy: { number: "asc" } },
      signoffs: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      evidence: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      httpsChecks: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
  if (!u) throw new AppError("NOT_FOUND", `No release update ${id}.`);
  const statementIds = [
    ...u.revisions.map((r) => r.statementId),
    ...u.signoffs.map((s) => s.statementId),
  ];
  const rows = await tx.signedStatement.findMany({
    where: { id: { in: statementIds } },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    include: {
      key: { select: { fingerprint: true, armored: true, userId: true } },
      signer: { select: { email: true, name: true } },
    },
  });
  const people = [...new Set([...rows.map((s) => s.signerId), ...rows.map((s) => s.key.userId)])];
  const [users, grants, events] = await Promise.all([
    tx.user.findMany({
      where: { id: { in: people } },
      select: { id: true, email: true, name: true },
    }),
    tx.roleGrant.findMany({
      where: { userId: { in: people } },
      select: { userId: true, role: true, approvedAt: true, revokedAt: true },
    }),
    tx.auditEvent.findMany({
      where: {
        OR: [
          { subjectType: "update", subjectId: u.id },
          { action: { startsWith: "update." }, payload: { path: ["updateId"], equals: u.id } },
        ],
      },
      orderBy: { seq: "asc" },
    }),
  ]);
  const account = (userId: string) => {
    const x = users.find((p) => p.id === userId)!;
    return { id: x.id, email: x.email, name: x.name };
  };
  const revisionOf = new Map(u.revisions.map((r) => [r.statementId, r]));
  const signoffOf = new Map(u.signoffs.map((s) => [s.statementId, s]));
  const statements = rows.map((s) => {
    const revision = revisionOf.get(s.id);
    const signoff = signoffOf.get(s.id);
    const kind = revision ? "update-submit" : KIND[signoff!.kind];
    return {
      id: s.id,
      kind,
      verdict: revision ? "submit" : signoff!.verdict,
      revision: revision ? revision.number : signoff!.revision,
      series: signoff?.kind === "VERIFY" ? signoff.series : null,
      change:
        signoff?.kind === "MAJOR_ACK" && signoff.changeNumber && signoff.changeSha256
          ? { number: signoff.changeNumber, sha256: signoff.changeSha256 }
          : null,
      evidence:
        signoff?.kind === "VERIFY" && signoff.evidence
          ? evidenceText(signoff.evidence as Record<string, unknown>)
          : null,
      signer: signerAt(s, s.signer, grants),
      fingerprint: s.fingerprint,
      receivedAt: s.receivedAt,
      text: s.statement,
      armoredSignature: s.signature,
    };
  });
  const seriesEvidence = u.evidence.map((e) => ({
    id: e.id,
    revision: e.revision,
    series: e.series,
    kind: e.kind,
    facts: e.facts,
    ok: e.ok,
    reason: e.reason,
    recordedBy: e.recordedById,
    createdAt: e.createdAt.toISOString(),
  }));
  const httpsChecks = u.httpsChecks.map((c) => ({
    id: c.id,
    revision: c.revision,
    series: c.series,
    server: c.server as "apache" | "nginx",
    url: c.url,
    host: c.host,
    port: c.port,
    caBundle: c.caBundle,
    state: c.state,
    requestedBy: c.requestedById,
    createdAt: c.createdAt.toISOString(),
    checkedAt: iso(c.checkedAt),
    subject: c.subject,
    sans: c.sans,
    issuer: c.issuer,
    notBefore: iso(c.notBefore),
    notAfter: iso(c.notAfter),
    sha256: c.sha256,
    hostValid: c.hostValid,
    chainValid: c.chainValid,
    ok: c.ok,
    reason: c.reason,
  }));
  // The tags as the portal shows them (GET /api/v1/updates/:id); the verifier recomputes them on its own.
  const tags = updateTags(u.state === "APPROVED", seriesFacts(await loadUpdate(u.id, tx)));
  return {
    exportedAt,
    portal,
    update: {
      id: u.id,
      number: u.number,
      title: u.title,
      template: u.template.slug,
      system: u.system.slug,
      reviewsRequired: u.system.reviewsRequired,
      packages: u.packages,
      version: u.version,
      series: u.series,
      bugId: u.bugId,
      state: u.state,
      revision: u.revision,
      body: u.body,
      createdBy: u.createdBy,
      createdAt: u.createdAt.toISOString(),
      submittedAt: iso(u.submittedAt),
      approvedAt: iso(u.approvedAt),
    },
    revisions: u.revisions.map((r) => ({
      number: r.number,
      title: r.title,
      packages: r.packages,
      version: r.version,
      series: r.series,
      bugId: r.bugId,
      bodySha256: r.bodySha256,
      statement: r.statementId,
      submittedBy: r.submittedById,
      createdAt: r.createdAt.toISOString(),
      body: r.body,
    })),
    statements,
    keys: signersKeys(rows, account),
    seriesEvidence,
    httpsChecks,
    tags,
    ...(await auditExcerpt(tx, events)),
  };
}

/**
 * A release update's evidence bundle (.tar.gz), sealed by the portal key, for
 * `patchgate verify`: every signed revision, statement and key, the evidence
 * each verification covers, the series evidence and HTTPS checks, the tags and
 * the audit excerpt.
 */
export async function buildUpdateBundle({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZBuildUpdateBundle>) {
  authorize(actor, "update:read");
  const { id } = ZBuildUpdateBundle.parse(input);
  return exportSealedBundle({
    read: (tx, exportedAt, portalKey) => readUpdateRecord(tx, id, exportedAt, portalKey),
    assemble: assembleUpdateBundle,
    root: (record) => updateBundleRoot(record.update.number),
    fileName: (record) => updateBundleFileName(record.update.number),
  });
}
