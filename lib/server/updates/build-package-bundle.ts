import "server-only";
import { signerAt, signersKeys } from "../dossier/bundle-signers";
import { exportSealedBundle } from "../dossier/export-sealed";
import { z } from "zod";
import type { Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanId } from "../../domain/input-hygiene";
import {
  assemblePackageBundle,
  packageBundleFileName,
  packageBundleRoot,
  type TPackageBundleInput,
} from "../../dossier/package-bundle";
import { auditExcerpt } from "../dossier/audit-excerpt";

export const ZBuildPackageBundle = z.object({
  id: cleanId().meta({ description: "The package's id (as the upload answered it)." }),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The package's whole record, read from one snapshot. */
async function readPackageRecord(
  tx: Tx,
  id: string,
  exportedAt: Date,
  portal: TPackageBundleInput["portal"],
): Promise<TPackageBundleInput> {
  const pkg = await tx.updatePackage.findUnique({
    where: { id },
    include: {
      installation: true,
      verdicts: { orderBy: [{ at: "asc" }, { id: "asc" }] },
      update: { include: { steps: { orderBy: { number: "asc" } } } },
    },
  });
  if (!pkg) throw new AppError("NOT_FOUND", `No update package ${id}.`);
  const inst = pkg.installation;
  const update = pkg.update;
  const shas = [...new Set(pkg.verdicts.flatMap((v) => v.certificateSha256s))].sort();
  const fprs = [...new Set(pkg.verdicts.flatMap((v) => v.pgpFingerprints))].sort();
  const statementIds = [
    update?.applyStatementId,
    ...(update?.steps.map((s) => s.statementId) ?? []),
  ].filter((x): x is string => !!x);
  const [certRows, keyRows, statements] = await Promise.all([
    tx.trustedCertificate.findMany({
      where: { installationId: inst.id, sha256: { in: shas } },
      orderBy: { addedAt: "asc" },
    }),
    tx.vendorPgpKey.findMany({
      where: { installationId: inst.id, fingerprint: { in: fprs } },
      orderBy: { addedAt: "asc" },
    }),
    tx.signedStatement.findMany({
      where: { id: { in: statementIds } },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      include: {
        key: { select: { fingerprint: true, armored: true, userId: true } },
        signer: { select: { email: true, name: true } },
      },
    }),
  ]);
  const people = [
    ...new Set([
      ...statements.map((s) => s.signerId),
      ...statements.map((s) => s.key.userId),
      pkg.uploadedById ?? "",
    ]),
  ];
  const [users, grants] = await Promise.all([
    tx.user.findMany({
      where: { id: { in: people } },
      select: { id: true, email: true, name: true },
    }),
    tx.roleGrant.findMany({
      where: { userId: { in: people } },
      select: { userId: true, role: true, approvedAt: true, revokedAt: true },
    }),
  ]);
  const ids = [pkg.id, ...(update ? [update.id] : [])];
  const events = await tx.auditEvent.findMany({
    where: {
      OR: [
        { subjectId: { in: ids } },
        { action: { startsWith: "package." }, payload: { path: ["packageId"], equals: pkg.id } },
        ...(update
          ? [
              {
                action: { startsWith: "package." },
                payload: { path: ["updateId"], equals: update.id },
              },
            ]
          : []),
      ],
    },
    orderBy: { seq: "asc" },
  });
  const account = (userId: string) => {
    const u = users.find((x) => x.id === userId)!;
    return { id: u.id, email: u.email, name: u.name };
  };
  const signer = pkg.signerSubject
    ? {
        subject: pkg.signerSubject,
        issuer: pkg.signerIssuer ?? "",
        notAfter: iso(pkg.signerNotAfter),
      }
    : null;
  const stepOf = new Map(update?.steps.map((s) => [s.statementId, s.number]) ?? []);
  return {
    exportedAt,
    portal,
    installation: {
      id: inst.id,
      slug: inst.slug,
      name: inst.name,
      product: inst.product,
      mode: inst.mode,
      enterprise: inst.enterprise,
    },
    package: {
      id: pkg.id,
      fileName: pkg.fileName,
      channel: pkg.channel,
      format: pkg.format as "cms" | "openpgp" | "detached" | "unknown",
      bytes: pkg.bytes,
      sha256: pkg.sha256,
      state: pkg.state,
      reason: pkg.reason,
      signer,
      receivedAt: pkg.receivedAt.toISOString(),
      uploadedBy: pkg.uploadedById ? account(pkg.uploadedById) : null,
      data: new Uint8Array(pkg.data),
      signature: pkg.signature ? new Uint8Array(pkg.signature) : null,
      content: pkg.content ? new Uint8Array(pkg.content) : null,
      contentSha256: pkg.contentSha256,
    },
    verdicts: pkg.verdicts.map((v) => ({
      state: v.state,
      reason: v.reason,
      signer,
      at: v.at.toISOString(),
      by: v.byId,
      certificates: v.certificateSha256s,
      pgpKeys: v.pgpFingerprints,
    })),
    certificates: [...new Map(certRows.map((c) => [c.sha256, c])).values()].map((c) => ({
      sha256: c.sha256,
      subject: c.subject,
      issuer: c.issuer,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      der: new Uint8Array(c.der),
    })),
    vendorKeys: [...new Map(keyRows.map((k) => [k.fingerprint, k])).values()].map((k) => ({
      fingerprint: k.fingerprint,
      armored: k.armored,
    })),
    update: update
      ? {
          id: update.id,
          mode: update.mode,
          state: update.state,
          createdAt: update.createdAt.toISOString(),
          completedAt: iso(update.completedAt),
          applyStatement: update.applyStatementId,
          appliedBy: update.appliedById,
          steps: update.steps.map((s) => ({
            number: s.number,
            key: s.key,
            evidence: s.evidence as Record<string, unknown>,
            statement: s.statementId,
            tickedBy: s.tickedById,
            tickedAt: s.tickedAt.toISOString(),
          })),
          postUpdate: update.postUpdateAt
            ? {
                status: update.postUpdateStatus,
                answer: update.postUpdateAnswer,
                at: update.postUpdateAt.toISOString(),
              }
            : null,
        }
      : null,
    statements: statements.map((s) => ({
      id: s.id,
      kind: s.kind as "package-apply" | "package-step",
      ...(stepOf.has(s.id) ? { step: stepOf.get(s.id)! } : {}),
      signer: signerAt(s, s.signer, grants),
      fingerprint: s.fingerprint,
      receivedAt: s.receivedAt,
      text: s.statement,
      armoredSignature: s.signature,
    })),
    keys: signersKeys(statements, account),
    ...(await auditExcerpt(tx, events)),
  };
}

/**
 * An update package's evidence bundle (.tar.gz), sealed by the portal key, for
 * `patchgate verify`: the file, its verdicts and the trust they used, the update
 * record and its signed statements, the audit excerpt.
 */
export async function buildPackageBundle({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZBuildPackageBundle>) {
  authorize(actor, "package:read");
  const { id } = ZBuildPackageBundle.parse(input);
  return exportSealedBundle({
    read: (tx, exportedAt, portalKey) => readPackageRecord(tx, id, exportedAt, portalKey),
    assemble: assemblePackageBundle,
    root: (record) => packageBundleRoot(record.package.id),
    fileName: (record) => packageBundleFileName(record.package.id),
  });
}
