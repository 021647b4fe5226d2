import "server-only";
import { signerAt } from "./bundle-signers";
import { exportSealedBundle } from "./export-sealed";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import type { Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { derivePatchState } from "../../domain/patch-state";
import { parseStatement } from "../../domain/statements";
import { assembleDossier, type TDossierInput } from "../../dossier/assemble-dossier";
import { dossierFileName, dossierRoot } from "../../dossier/layout";
import { loadPatch } from "../patches/patch-facts";
import { auditExcerpt } from "./audit-excerpt";

export const ZBuildDossier = z.object({ patchId: cleanId(100).trim() });

type TPersonRef = { account: string; name: string; email: string };

/** Reads the whole record of one patch from one consistent snapshot. */
async function readRecord(
  tx: Tx,
  patchId: string,
  exportedAt: Date,
  portal: TDossierInput["portal"],
): Promise<TDossierInput> {
  const { patch, revision, facts, fastPath } = await loadPatch(tx, patchId);
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
  const statementInclude = {
    key: { select: { fingerprint: true, armored: true, userId: true } },
    signer: { select: { email: true, name: true } },
  } as const;
  const statements = await tx.signedStatement.findMany({
    where: { id: { in: statementIds } },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    include: statementInclude,
  });
  // E3: option 1's patch carries the emergency's option-1 statements, which stand for its sign-offs.
  const fastPathMoves = fastPath
    ? await tx.emergencyMove.findMany({
        where: {
          emergencyId: fastPath.emergencyId,
          kind: { in: ["option1-patch", "gate"] },
          statementId: { not: null },
        },
        orderBy: [{ at: "asc" }, { id: "asc" }],
        include: { statement: { include: statementInclude } },
      })
    : [];
  const fastPathStatements = fastPathMoves.flatMap((m) => (m.statement ? [m.statement] : []));
  // The notification's signer's key, which no statement of the patch may have brought along.
  const notificationKeys = await tx.pgpKey.findMany({
    where: {
      fingerprint: {
        in: deployments.flatMap((d) => (d.notification ? [d.notification.fingerprint] : [])),
      },
    },
    select: { fingerprint: true, armored: true, userId: true },
  });
  const keyRows = [
    ...statements.map((s) => s.key),
    ...fastPathStatements.map((s) => s.key),
    ...notificationKeys,
  ];
  // Issue #11: who each key belongs to, and what each signer held when the portal received it.
  const [owners, grants] = await Promise.all([
    tx.user.findMany({
      where: { id: { in: [...new Set(keyRows.map((k) => k.userId))] } },
      select: { id: true, email: true, name: true },
    }),
    tx.roleGrant.findMany({
      where: {
        userId: {
          in: [...new Set([...statements, ...fastPathStatements].map((s) => s.signerId))],
        },
      },
      select: { userId: true, role: true, approvedAt: true, revokedAt: true },
    }),
  ]);
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
  const signerOf = (s: (typeof statements)[number]) => signerAt(s, s.signer, grants);
  const deploymentIds = deployments.map((d) => d.id);
  const audit = await auditExcerpt(
    tx,
    await tx.auditEvent.findMany({
      where: {
        OR: [
          { subjectType: "patch", subjectId: patchId },
          { subjectType: "deployment", subjectId: { in: deploymentIds } },
        ],
      },
      orderBy: { seq: "asc" },
    }),
  );

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
        signer: signerOf(s),
        fingerprint: s.fingerprint,
        receivedAt: s.receivedAt,
        text: s.statement,
        armoredSignature: s.signature,
      };
    }),
    fastPath: fastPath && {
      emergency: { id: fastPath.emergencyId, number: fastPath.emergencyNumber },
      statements: fastPathStatements.map((s) => {
        const parsed = parseStatement(s.statement);
        const move = fastPathMoves.find((m) => m.statementId === s.id)!;
        return {
          id: s.id,
          kind: move.kind as "option1-patch" | "gate",
          ...(parsed?.gate ? { gate: parsed.gate as "review-1" | "test" | "review-2" } : {}),
          ...(parsed?.verdict ? { verdict: parsed.verdict as "pass" | "fail" } : {}),
          sha256: parsed?.["patch-sha256"] ?? "",
          signer: signerOf(s),
          fingerprint: s.fingerprint,
          receivedAt: s.receivedAt,
          text: s.statement,
          armoredSignature: s.signature,
        };
      }),
    },
    keys: [...new Map(keyRows.map((k) => [k.fingerprint, k])).values()]
      .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint))
      .map((k) => {
        const owner = owners.find((u) => u.id === k.userId)!;
        return {
          fingerprint: k.fingerprint,
          armored: k.armored,
          account: { id: owner.id, email: owner.email, name: owner.name },
        };
      }),
    ...audit,
    portal,
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
 * snapshot so the files, the manifest and the audit head agree with each other;
 * the manifest is signed by the portal key (issue #11), which the reader trusts
 * from outside the dossier.
 */
export async function buildDossier({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZBuildDossier>) {
  authorize(actor, "patch:read");
  const { patchId } = ZBuildDossier.parse(input);
  return exportSealedBundle({
    read: (tx, exportedAt, portalKey) => readRecord(tx, patchId, exportedAt, portalKey),
    assemble: assembleDossier,
    root: (record) => dossierRoot(record.patch.number),
    fileName: (record) => dossierFileName(record.patch.number),
  });
}
