import "server-only";
import { signerAt, signersKeys } from "../dossier/bundle-signers";
import { z } from "zod";
import type { Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { intId } from "../../domain/input-hygiene";
import type { TGate } from "../../domain/emergency-ladder";
import { fromNonceKind } from "../../domain/emergency-statements";
import {
  assembleEmergencyBundle,
  emergencyBundleFileName,
  emergencyBundleRoot,
  emergencyDiffFile,
  emergencyStatementFile,
  sessionLogFile,
  type TDiffSource,
  type TEmergencyBundleInput,
  type TEmergencyRecord,
} from "../../dossier/emergency-bundle";
import { auditExcerpt } from "../dossier/audit-excerpt";
import { exportSealedBundle } from "../dossier/export-sealed";

export const ZBuildEmergencyBundle = z.object({ number: intId() });

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** The emergency's record, statements, keys, diffs, session logs and audit events, from one snapshot. */
async function readEmergency(
  tx: Tx,
  number: number,
  exportedAt: Date,
  portal: TEmergencyBundleInput["portal"],
): Promise<TEmergencyBundleInput> {
  const e = await tx.emergency.findUnique({
    where: { number },
    include: {
      system: { select: { slug: true, name: true, testsRequired: true } },
      responders: { orderBy: [{ namedAt: "asc" }, { id: "asc" }] },
      moves: { orderBy: [{ at: "asc" }, { id: "asc" }] },
      sessions: { orderBy: [{ openedAt: "asc" }, { id: "asc" }] },
      disputes: { orderBy: { number: "asc" }, include: { ruling: true } },
      patches: {
        orderBy: { number: "asc" },
        include: {
          revisions: { orderBy: { number: "asc" } },
          deployments: {
            orderBy: { openedAt: "asc" },
            include: { revision: { select: { number: true, diffSha256: true } }, steps: true },
          },
        },
      },
    },
  });
  if (!e) throw new AppError("NOT_FOUND", `No emergency #${number}.`);

  // Every statement the emergency holds: acknowledgements, moves, rulings, and
  // option 1's deployment steps (ticks and signing-server decisions).
  const deployments = e.patches.flatMap((p) => p.deployments.map((d) => ({ ...d, patch: p })));
  const stepStatementIds = deployments.flatMap((d) =>
    d.steps.flatMap((s) => [s.statementId, s.decisionStatementId]).filter((x) => x !== null),
  );
  const rows = await tx.signedStatement.findMany({
    where: {
      OR: [
        { subjectType: "emergency", subjectId: e.id },
        // A move's statement, whatever its subject (option 1's gates may be the patch's sign-offs).
        { id: { in: e.moves.flatMap((m) => (m.statementId ? [m.statementId] : [])) } },
        { id: { in: stepStatementIds as string[] } },
      ],
    },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    include: { key: { select: { fingerprint: true, armored: true, userId: true } } },
  });
  const people = [
    ...new Set([
      e.declaredById,
      ...e.responders.map((r) => r.userId),
      ...e.moves.map((m) => m.actorId),
      ...e.sessions.flatMap((s) => [s.granteeId, s.watcherId]),
      ...e.disputes.flatMap((d) => (d.ruling ? [d.ruling.arbitratorId] : [])),
      ...deployments.flatMap((d) => d.steps.flatMap((s) => (s.doneById ? [s.doneById] : []))),
      ...rows.flatMap((s) => [s.signerId, s.key.userId]),
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
  const account = (id: string) => {
    const u = users.find((x) => x.id === id);
    return { id, email: u?.email ?? "", name: u?.name ?? "unknown" };
  };

  // Statement files in the order the portal received them; `NNN-<kind>[-<gate>]`.
  const moveOf = new Map(e.moves.filter((m) => m.statementId).map((m) => [m.statementId!, m]));
  const fileOf = new Map<string, string>();
  rows.forEach((s, i) => {
    const move = moveOf.get(s.id);
    const gate = (move?.data as { gate?: string } | null)?.gate;
    const kind = fromNonceKind(s.kind) ?? s.kind.replace(/^emergency\./, "");
    fileOf.set(s.id, emergencyStatementFile(i + 1, gate ? `${kind}-${gate}` : kind));
  });
  const ref = (id: string | null | undefined) =>
    id && fileOf.has(id) ? { id, file: fileOf.get(id)! } : null;

  // The diffs the statements name.
  const attachments = new Map<string, Uint8Array>();
  const diffs: TEmergencyRecord["diffs"] = [];
  const addDiff = (
    source: TDiffSource,
    bytes: Uint8Array,
    patch: TEmergencyRecord["diffs"][number]["patch"],
    deployed: boolean,
  ) => {
    const sha256 = sha256Hex(bytes);
    const known = diffs.find((d) => d.sha256 === sha256 && d.source === source);
    if (known) {
      known.deployed ||= deployed;
      known.patch ??= patch;
      return;
    }
    const file = emergencyDiffFile(source, sha256);
    attachments.set(file, bytes);
    diffs.push({ file, sha256, source, patch, deployed });
  };
  const revisionWith = (sha256: string) => {
    for (const p of e.patches)
      for (const r of p.revisions)
        if (r.diffSha256 === sha256) return { p, r: r as typeof r & { diff: Uint8Array } };
    return null;
  };
  const deployedRevisions = new Set(
    e.moves.flatMap((m) => {
      const d = m.data as { gate?: string; deploymentId?: string } | null;
      if (m.kind !== "gate" || d?.gate !== "deploy" || !d.deploymentId) return [];
      const rec = deployments.find((x) => x.id === d.deploymentId);
      return rec ? [rec.revision.diffSha256] : [];
    }),
  );
  for (const m of e.moves) {
    const d = (m.data ?? {}) as { diff?: string; sha256?: string };
    if (m.kind === "option2-patch" && d.diff) {
      const bytes = new Uint8Array(Buffer.from(d.diff, "base64"));
      const re = revisionWith(sha256Hex(bytes));
      const deployed = e.moves.some((x) => x.kind === "option2-deploy");
      addDiff(
        "option2-patch",
        bytes,
        re ? { id: re.p.id, number: re.p.number, revision: re.r.number } : null,
        deployed,
      );
    }
    if ((m.kind === "session-disabled" || m.kind === "option1-patch") && d.sha256) {
      const re = revisionWith(d.sha256);
      if (re)
        addDiff(
          m.kind === "option1-patch" ? "option1-patch" : "option3-session",
          new Uint8Array(re.r.diff),
          { id: re.p.id, number: re.p.number, revision: re.r.number },
          m.kind === "session-disabled" || deployedRevisions.has(d.sha256),
        );
    }
  }

  e.sessions.forEach((s, i) => {
    if (s.log !== null) attachments.set(sessionLogFile(i + 1), new TextEncoder().encode(s.log));
  });

  const record: TEmergencyRecord = {
    id: e.id,
    number: e.number,
    system: { slug: e.system.slug, name: e.system.name },
    title: e.title,
    description: e.description,
    severity: e.severity,
    state: e.state,
    declaredAt: e.declaredAt.toISOString(),
    deadlineAt: e.deadlineAt.toISOString(),
    resolvedAt: iso(e.resolvedAt),
    closedAt: iso(e.closedAt),
    testsRequired: e.system.testsRequired,
    declarer: account(e.declaredById),
    responders: e.responders.map((r) => ({
      team: r.team,
      person: account(r.userId),
      namedAt: r.namedAt.toISOString(),
      acknowledgedAt: iso(r.acknowledgedAt),
      statement: ref(r.statementId),
    })),
    moves: e.moves.map((m, i) => {
      const { diff: _diff, ...data } = (m.data ?? {}) as Record<string, unknown>;
      void _diff;
      return {
        seq: i + 1,
        id: m.id,
        kind: m.kind as TEmergencyRecord["moves"][number]["kind"],
        gate: ((data.gate as TGate | undefined) ?? null) as TGate | null,
        actor: account(m.actorId),
        at: m.at.toISOString(),
        reason: m.reason,
        data,
        statement: ref(m.statementId),
      };
    }),
    sessions: e.sessions.map((s, i) => ({
      id: s.id,
      grantee: account(s.granteeId),
      watcher: account(s.watcherId),
      openedAt: iso(s.openedAt),
      terminatedAt: iso(s.terminatedAt),
      disabledAt: iso(s.disabledAt),
      log: s.log === null ? null : { file: sessionLogFile(i + 1), sha256: sha256Hex(s.log) },
    })),
    disputes: [],
    diffs,
    deployments: deployments.map((d) => ({
      id: d.id,
      patch: { id: d.patch.id, number: d.patch.number },
      revision: d.revision.number,
      diffSha256: d.revision.diffSha256,
      state: d.state,
      openedAt: d.openedAt.toISOString(),
      closedAt: iso(d.closedAt),
      steps: [...d.steps]
        .sort((a, b) => a.number - b.number)
        .map((s) => ({
          number: s.number,
          key: s.key,
          title: s.title,
          status: s.status,
          doneBy: s.doneById ? account(s.doneById) : null,
          doneAt: iso(s.doneAt),
          statement: ref(s.statementId),
          decisionStatement: ref(s.decisionStatementId),
        })),
    })),
  };

  const subjects = [
    e.id,
    ...e.disputes.map((d) => d.id),
    ...e.patches.map((p) => p.id),
    ...deployments.map((d) => d.id),
  ];
  const events = await tx.auditEvent.findMany({
    where: { subjectId: { in: subjects } },
    orderBy: { seq: "asc" },
  });
  const causeOf = (id: string) => {
    const filed = events.find((x) => x.action === "dispute.filed" && x.subjectId === id);
    const cause = (filed?.payload as { cause?: string } | null)?.cause;
    return cause === "option2" || cause === "option3" ? cause : null;
  };
  record.disputes = e.disputes.map((d) => ({
    id: d.id,
    number: d.number,
    cause: causeOf(d.id),
    reason: d.reason,
    state: d.state,
    filedAt: d.filedAt.toISOString(),
    ruling: d.ruling
      ? {
          id: d.ruling.id,
          arbitrator: account(d.ruling.arbitratorId),
          verdict: d.ruling.verdict,
          reasoning: d.ruling.reasoning,
          ruledAt: d.ruling.ruledAt.toISOString(),
          statement: ref(d.ruling.statementId)!,
        }
      : null,
  }));

  return {
    exportedAt,
    portal,
    record,
    statements: rows.map((s) => ({
      id: s.id,
      file: fileOf.get(s.id)!,
      kind: fromNonceKind(s.kind) ?? s.kind,
      signer: signerAt(s, account(s.signerId), grants),
      fingerprint: s.fingerprint,
      receivedAt: s.receivedAt,
      text: s.statement,
      armoredSignature: s.signature,
    })),
    attachments,
    keys: signersKeys(rows, account),
    ...(await auditExcerpt(tx, events)),
  };
}

/**
 * An emergency's evidence bundle (.tar.gz), sealed by the portal key, for
 * `patchgate verify`: the record, every signed statement and key, the session
 * logs, the deployed diffs and the audit events. Whoever may read the
 * emergency's full record (patch:read: every team and the arbitrators) may
 * export it; the public log's visitors may not.
 */
export async function buildEmergencyBundle({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZBuildEmergencyBundle>) {
  authorize(actor, "patch:read");
  const { number } = ZBuildEmergencyBundle.parse(input);
  return exportSealedBundle({
    read: (tx, exportedAt, portalKey) => readEmergency(tx, number, exportedAt, portalKey),
    assemble: assembleEmergencyBundle,
    root: (r) => emergencyBundleRoot(r.record.number),
    fileName: (r) => emergencyBundleFileName(r.record.number),
  });
}
