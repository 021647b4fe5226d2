import "server-only";
import { z } from "zod";
import { cleanId, safeInt } from "../../domain/input-hygiene";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { parseStatement } from "../../domain/statements";
import { derivePatchState } from "../../domain/patch-state";
import { visitQuorum, type TVisitFact } from "../../domain/procedures";
import { deploySeparation } from "../../domain/deploy-separation";
import { NO_OFFERS, patchOffers } from "../../domain/patch-decisions";
import { loadPatch } from "./patch-facts";
import { keyStanding } from "../keys/key-standing";

export const ZGetPatch = z.object({ patchId: cleanId() });
export const ZGetPatchDiff = ZGetPatch.extend({ revision: safeInt().optional() });

/**
 * One patch as people and scripts see it: state, gates, every sign-off
 * (superseded marked), the withdrawal, the deployment, and what the caller may
 * do now (`may`, from the same predicates the use-cases assert).
 */
export async function getPatch({ actor, ...input }: { actor: TActor } & z.input<typeof ZGetPatch>) {
  authorize(actor, "patch:read");
  const { patchId } = ZGetPatch.parse(input);
  const { patch, revision, deployment, facts } = await db.$transaction((tx) =>
    loadPatch(tx, patchId),
  );
  const { gates, blockers } = derivePatchState(facts);
  const [statements, people, presence, withdrawal, lineComments, notification] = await Promise.all([
    db.signedStatement.findMany({
      where: {
        id: {
          in: [
            ...patch.signoffs.map((s) => s.statementId),
            // X1: the signed tick and decision of each deployment step.
            ...(deployment?.steps.flatMap((s) => [s.statementId, s.decisionStatementId]) ?? []),
          ].filter((id): id is string => !!id),
        },
      },
      select: {
        id: true,
        fingerprint: true,
        receivedAt: true,
        key: { select: { revokedAt: true, revocationReason: true, userIds: true } },
      },
    }),
    db.user.findMany({
      where: {
        id: {
          in: [
            ...new Set([
              patch.authorId,
              ...patch.signoffs.map((s) => s.signerId),

              ...patch.revisions.map((r) => r.uploadedById),
              ...(deployment?.steps.map((s) => s.doneById).filter((x): x is string => !!x) ?? []),
            ]),
          ],
        },
      },
      select: { id: true, name: true, email: true },
    }),
    deployment
      ? db.visitPresence.findMany({
          where: { recordId: deployment.id },
          include: {
            statement: {
              select: { fingerprint: true, receivedAt: true, signer: { select: { name: true } } },
            },
          },
        })
      : [],
    patch.withdrawalId
      ? db.signedStatement.findUnique({
          where: { id: patch.withdrawalId },
          select: {
            id: true,
            fingerprint: true,
            receivedAt: true,
            statement: true,
            signer: { select: { id: true, name: true, email: true } },
          },
        })
      : null,
    db.lineComment.findMany({
      where: { signoffId: { in: patch.signoffs.map((s) => s.id) } },
      orderBy: [{ signoffId: "asc" }, { n: "asc" }],
      select: { signoffId: true, file: true, line: true, text: true },
    }),
    // P7: the critical admin's signature on the notification; steps 10–13 are queued with it.
    deployment
      ? db.deploymentNotification.findUnique({
          where: { recordId: deployment.id },
          select: { fingerprint: true, receivedAt: true, signer: { select: { name: true } } },
        })
      : null,
  ]);
  const person = (id: string | null) => (id ? (people.find((p) => p.id === id) ?? null) : null);
  const stmt = (id: string) => statements.find((s) => s.id === id)!;

  return {
    id: patch.id,
    number: patch.number,
    title: patch.title,
    summary: patch.summary,
    bugId: patch.bugId,
    bugSummary: patch.bugSummary,
    state: patch.state,
    revision: revision.number,
    diffSha256: revision.diffSha256,
    createdAt: patch.createdAt,
    author: person(patch.authorId),
    system: {
      slug: patch.system.slug,
      name: patch.system.name,
      procedure: patch.system.procedure,
      reviewsRequired: patch.system.reviewsRequired,
      testsRequired: patch.system.testsRequired,
    },
    /** The policy the gates count under: the request's, once the revision is requested. */
    policy: facts.policy,
    may: actor.kind === "person" ? patchOffers(facts, actor) : NO_OFFERS,
    withdrawal: withdrawal && {
      by: withdrawal.signer,
      reason: parseStatement(withdrawal.statement)?.comment ?? "",
      fingerprint: withdrawal.fingerprint,
      time: withdrawal.receivedAt,
      statementId: withdrawal.id,
    },
    revisions: patch.revisions.map((r) => ({
      number: r.number,
      diffSha256: r.diffSha256,
      sizeBytes: r.sizeBytes,
      fileCount: r.fileCount,
      uploadedBy: person(r.uploadedById),
      createdAt: r.createdAt,
    })),
    signoffs: patch.signoffs.map((s) => ({
      id: s.id,
      kind: s.kind.toLowerCase(),
      verdict: s.verdict.toLowerCase(),
      signer: person(s.signerId),
      fingerprint: stmt(s.statementId).fingerprint,
      /** The signing key as it stands now: revoked since, or not claiming the signer's address. */
      key: keyStanding(stmt(s.statementId).key, person(s.signerId)?.email ?? ""),
      revision: s.revision.number,
      superseded: s.revision.number !== revision.number,
      comment: s.comment,
      time: stmt(s.statementId).receivedAt,
      statementId: s.statementId,
      lineComments: lineComments
        .filter((c) => c.signoffId === s.id)
        .map(({ file, line, text }) => ({ file, line, text })),
    })),
    gates: {
      reviews: { have: gates.reviews.have, need: gates.reviews.need },
      tests: { have: gates.tests.have, need: gates.tests.need },
    },
    blocked: blockers.length > 0,
    /** X3: why the caller may not open or tick this patch's deployment, or null. */
    deploySeparation: actor.kind === "person" ? deploySeparation(facts, actor.id) : null,
    deployment: deployment && {
      id: deployment.id,
      state: deployment.state,
      procedure: deployment.procedure,
      openedAt: deployment.openedAt,
      notification: notification && {
        signer: notification.signer.name,
        fingerprint: notification.fingerprint,
        receivedAt: notification.receivedAt,
      },
      visit: {
        ...visitQuorum(
          presence.map((p) => ({ userId: p.userId, role: p.role as TVisitFact["role"] })),
        ),
        presence: presence.map((p) => ({
          userId: p.userId,
          role: p.role,
          name: p.statement.signer.name,
          fingerprint: p.statement.fingerprint,
          time: p.statement.receivedAt,
        })),
      },
      steps: deployment.steps.map((s) => ({
        number: s.number,
        key: s.key,
        title: s.title,
        applicability: s.applicability,
        applicable: s.applicable,
        applicabilityReason: s.applicabilityReason,
        status: s.status,
        doneBy: person(s.doneById),
        doneAt: s.doneAt,
        evidence: s.evidence,
        /** The key that signed the tick (null for the worker's steps). */
        signedWith: s.statementId ? (stmt(s.statementId)?.fingerprint ?? null) : null,
      })),
    },
  };
}

export type TPatchView = Awaited<ReturnType<typeof getPatch>>;

export async function getPatchDiff({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZGetPatchDiff>) {
  authorize(actor, "patch:read");
  const { patchId, revision } = ZGetPatchDiff.parse(input);
  const patch = await db.patch.findUnique({
    where: { id: patchId },
    select: { currentRevision: true },
  });
  if (!patch) throw new AppError("NOT_FOUND", "No such patch.");
  const row = await db.patchRevision.findUnique({
    where: { patchId_number: { patchId, number: revision ?? patch.currentRevision } },
  });
  if (!row) throw new AppError("NOT_FOUND", "No such revision.");
  return { bytes: row.diff, sha256: row.diffSha256, number: row.number };
}
