import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, Prisma, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { derivePatchState } from "../../domain/patch-state";
import { parseStatement } from "../../domain/statements";
import { GENESIS_HASH } from "../../domain/audit-canonical";
import { assembleDossier, type TDossierInput } from "../../dossier/assemble-dossier";
import { packDossier } from "../../dossier/archive";
import { dossierFileName, dossierRoot } from "../../dossier/layout";
import { sha256Hex } from "../../crypto/hash";
import { loadPatch } from "../patches/patch-facts";

export const ZBuildDossier = z.object({ patchId: cleanId(100).trim() });

type TPersonRef = { account: string; name: string; email: string };

/** Reads the whole record of one patch from one consistent snapshot. */
async function readRecord(tx: Tx, patchId: string, exportedAt: Date): Promise<TDossierInput> {
  const { patch, revision, facts } = await loadPatch(tx, patchId);
  const { gates } = derivePatchState(facts);
  const [diffs, deployments] = await Promise.all([
    tx.patchRevision.findMany({
      where: { patchId },
      orderBy: { number: "asc" },
      select: { number: true, diff: true, uploadedById: true, createdAt: true },
    }),
    tx.deploymentRecord.findMany({
      where: { patchId },
      orderBy: { openedAt: "asc" },
      include: {
        steps: { orderBy: { number: "asc" } },
        presence: true,
        revision: { select: { number: true } },
        notification: { include: { signer: { select: { email: true } } } },
      },
    }),
  ]);
  const statementIds = [
    ...patch.signoffs.map((s) => s.statementId),
    ...deployments.flatMap((d) => d.presence.map((p) => p.statementId)),
    ...deployments.flatMap((d) =>
      d.steps.flatMap((s) => [s.statementId, s.decisionStatementId]).filter((x) => x !== null),
    ),
    ...(patch.withdrawalId ? [patch.withdrawalId] : []),
  ];
  const statements = await tx.signedStatement.findMany({
    where: { id: { in: statementIds } },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    include: {
      key: { select: { fingerprint: true, armored: true } },
      signer: { select: { email: true } },
    },
  });
  // The notification's signer's key, which no statement of the patch may have brought along.
  const notificationKeys = await tx.pgpKey.findMany({
    where: {
      fingerprint: {
        in: deployments.flatMap((d) => (d.notification ? [d.notification.fingerprint] : [])),
      },
    },
    select: { fingerprint: true, armored: true },
  });
  const people = await tx.user.findMany({
    where: {
      id: {
        in: [
          ...new Set([
            ...deployments.map((d) => d.openedById),
            ...deployments.flatMap((d) => d.steps.map((s) => s.doneById ?? "")),
          ]),
        ],
      },
    },
    select: { id: true, name: true, email: true },
  });
  const person = (id: string | null): TPersonRef | null => {
    const p = id ? people.find((u) => u.id === id) : undefined;
    return p ? { account: p.id, name: p.name, email: p.email } : null;
  };
  const deploymentIds = deployments.map((d) => d.id);
  const [events, head] = await Promise.all([
    tx.auditEvent.findMany({
      where: {
        OR: [
          { subjectType: "patch", subjectId: patchId },
          { subjectType: "deployment", subjectId: { in: deploymentIds } },
        ],
      },
      orderBy: { seq: "asc" },
    }),
    tx.auditEvent.findFirst({
      orderBy: { seq: "desc" },
      select: { seq: true, hash: true, at: true },
    }),
  ]);

  return {
    exportedAt,
    patch: {
      id: patch.id,
      number: patch.number,
      title: patch.title,
      system: patch.system.slug,
      bugId: patch.bugId,
      state: patch.state,
      revision: revision.number,
      author: patch.authorId,
    },
    // The policy in force: for a requested revision, the one its request was signed under.
    policy: { ...facts.policy, procedure: patch.system.procedure },
    gates: {
      reviews: { have: gates.reviews.have, need: gates.reviews.need },
      tests: { have: gates.tests.have, need: gates.tests.need },
    },
    revisions: diffs.map((r) => ({
      number: r.number,
      diff: new Uint8Array(r.diff),
      uploadedBy: r.uploadedById,
      createdAt: r.createdAt,
    })),
    statements: statements.map((s) => {
      const parsed = parseStatement(s.statement);
      return {
        id: s.id,
        kind: s.kind as TDossierInput["statements"][number]["kind"],
        verdict: parsed?.verdict ?? "unknown",
        revision: Number(parsed?.revision ?? 0),
        ...(s.kind === "step" && parsed?.step ? { step: Number(parsed.step) } : {}),
        signer: { account: s.signerId, email: s.signer.email },
        fingerprint: s.fingerprint,
        receivedAt: s.receivedAt,
        text: s.statement,
        armoredSignature: s.signature,
      };
    }),
    keys: [
      ...new Map(
        [...statements.map((s) => s.key), ...notificationKeys].map((k) => [
          k.fingerprint,
          k.armored,
        ]),
      ).entries(),
    ]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([fingerprint, armored]) => ({ fingerprint, armored })),
    events: events.map((e) => ({
      seq: e.seq.toString(),
      at: e.at.toISOString(),
      actorId: e.actorId,
      actorLabel: e.actorLabel,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      payload: e.payload,
      prevHash: e.prevHash,
      hash: e.hash,
    })),
    head: head
      ? { seq: head.seq.toString(), hash: head.hash, at: head.at.toISOString() }
      : { seq: "0", hash: GENESIS_HASH, at: null },
    deployments: deployments.map((d) => ({
      id: d.id,
      revision: d.revision.number,
      procedure: d.procedure,
      state: d.state,
      openedBy: person(d.openedById)!,
      openedAt: d.openedAt.toISOString(),
      closedAt: d.closedAt?.toISOString() ?? null,
      presence: d.presence.map((p) => ({
        role: p.role as "CRITICAL_ADMIN" | "ACCESS_ENGINEER",
        account: p.userId,
        statementId: p.statementId,
      })),
      steps: d.steps.map((s) => ({
        number: s.number,
        key: s.key,
        title: s.title,
        applicability: s.applicability,
        applicable: s.applicable,
        applicabilityReason: s.applicabilityReason,
        status: s.status,
        doneBy: person(s.doneById),
        doneAt: s.doneAt?.toISOString() ?? null,
        evidence: s.evidence ?? null,
        statementId: s.statementId,
        decisionStatementId: s.decisionStatementId,
      })),
      notification: d.notification && {
        part: d.notification.part,
        armoredSignature: d.notification.signature,
        signer: { account: d.notification.signerId, email: d.notification.signer.email },
        fingerprint: d.notification.fingerprint,
        receivedAt: d.notification.receivedAt,
      },
    })),
  };
}

/**
 * The dossier of one patch (X1): a .tar.gz anyone can verify offline
 * with gpg and sha256sum, or with `patchgate verify`. Read in one repeatable-read
 * snapshot so the files, the manifest and the audit head agree with each other.
 */
export async function buildDossier({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZBuildDossier>) {
  authorize(actor, "patch:read");
  const { patchId } = ZBuildDossier.parse(input);
  const exportedAt = new Date();
  const record = await db.$transaction((tx) => readRecord(tx, patchId, exportedAt), {
    isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
  });
  const files = assembleDossier(record);
  const bytes = await packDossier(dossierRoot(record.patch.number), files, exportedAt);
  return {
    fileName: dossierFileName(record.patch.number),
    bytes,
    sha256: sha256Hex(bytes),
    fileCount: files.size,
  };
}
