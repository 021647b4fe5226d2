import "server-only";
import { signerAt, signersKeys } from "../dossier/bundle-signers";
import { exportSealedBundle } from "../dossier/export-sealed";
import type { Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import {
  assembleHotfixBundle,
  hotfixBundleFileName,
  hotfixBundleRoot,
  type THotfixBundleInput,
} from "../../dossier/hotfix-bundle";
import { auditExcerpt } from "../dossier/audit-excerpt";
import { hotfixFiles, loadHotfix } from "./hotfix-facts";

/** The hotfix's whole record, read from one snapshot. */
async function readHotfixRecord(
  tx: Tx,
  name: string,
  exportedAt: Date,
  portal: THotfixBundleInput["portal"],
): Promise<THotfixBundleInput> {
  const hotfix = await loadHotfix(tx, name);
  const { content } = await tx.hotfix.findUniqueOrThrow({
    where: { id: hotfix.id },
    select: { content: true },
  });
  const statementIds = [
    hotfix.releaseStatementId,
    ...hotfix.applications.flatMap((a) => [a.verifyStatementId, a.unapplyVerifyStatementId]),
  ].filter((x): x is string => x !== null);
  const statements = await tx.signedStatement.findMany({
    where: { id: { in: statementIds } },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    include: {
      key: { select: { fingerprint: true, armored: true, userId: true } },
      signer: { select: { email: true, name: true } },
    },
  });
  const people = [...new Set([...statements.map((s) => s.signerId), hotfix.uploadedById ?? ""])];
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
      where: { subjectType: "hotfix", subjectId: hotfix.id },
      orderBy: { seq: "asc" },
    }),
    tx.auditEvent.findFirst({
      orderBy: { seq: "desc" },
      select: { seq: true, hash: true, at: true },
    }),
  ]);
  const account = (id: string) => {
    const u = users.find((x) => x.id === id)!;
    return { id: u.id, email: u.email, name: u.name };
  };
  return {
    exportedAt,
    portal,
    hotfix: {
      id: hotfix.id,
      name: hotfix.name,
      fileName: hotfix.fileName,
      product: hotfix.product,
      version: hotfix.version,
      component: hotfix.component as "frontend" | "backend" | "common",
      issue: hotfix.issue,
      sha256: hotfix.sha256,
      uploadedBy: hotfix.uploadedById ? account(hotfix.uploadedById) : null,
      files: hotfixFiles(hotfix),
      content: new Uint8Array(content),
    },
    statements: statements.map((s) => ({
      id: s.id,
      kind: s.kind as "hotfix-release" | "hotfix-verify",
      signer: signerAt(s, s.signer, grants),
      fingerprint: s.fingerprint,
      receivedAt: s.receivedAt,
      text: s.statement,
      armoredSignature: s.signature,
    })),
    keys: signersKeys(statements, account),
    applications: hotfix.applications.map((a) => ({
      server: a.server.slug,
      role: a.server.role,
      state: a.state,
      appliedBy: a.appliedById,
      appliedAt: a.appliedAt.toISOString(),
      restartCommand: a.restartCommand,
      restartExit: a.restartExit,
      error: a.error,
      filesAfter: a.filesAfter as Record<string, string>,
      verifiedAt: a.verifiedAt?.toISOString() ?? null,
      unappliedAt: a.unappliedAt?.toISOString() ?? null,
      unapplyVerifiedAt: a.unapplyVerifiedAt?.toISOString() ?? null,
    })),
    ...(await auditExcerpt(tx, events)),
  };
}

/** A hotfix's evidence bundle (.tar.gz), sealed by the portal key, for `patchgate verify`. */
export async function buildHotfixBundle({ actor, name }: { actor: TActor; name: string }) {
  authorize(actor, "hotfix:read");
  return exportSealedBundle({
    read: (tx, exportedAt, portalKey) => readHotfixRecord(tx, name, exportedAt, portalKey),
    assemble: assembleHotfixBundle,
    root: (record) => hotfixBundleRoot(record.hotfix.name),
    fileName: (record) => hotfixBundleFileName(record.hotfix.name),
  });
}
