import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { sha256Hex } from "../../crypto/hash";
import { decodeDiff } from "../../domain/diff-files";
import { MOVE_LABEL, GATE_LABEL, TEAM_LABEL, type TTeam } from "../../domain/emergency-ladder";
import { fromNonceKind } from "../../domain/emergency-statements";
import type { TRole } from "../../domain/roles";

const ROLE_LABEL: Record<TRole, string> = {
  DEVELOPER: "Developer",
  ASSESSOR: "Assessor",
  TESTER: "Tester",
  CRITICAL_ADMIN: "Critical admin",
  ACCESS_ENGINEER: "Access engineer",
  ARBITRATOR: "Arbitrator",
  ADMIN: "Admin",
};

export type TDeployedDiff = {
  /** Which option put it on the live system, in words. */
  label: string;
  sha256: string;
  text: string;
  /** The patch record it is, or re-entered the normal cycle as. */
  patch: { number: number; revision: number } | null;
};

export type TSigner = {
  statementId: string;
  name: string;
  /** Their part in the emergency, in words ("Assessor, brought option 2's patch"). */
  role: string;
  /** What they signed. */
  what: string;
  receivedAt: Date;
  fingerprint: string;
};

const ROLE_OF_KIND: Partial<Record<string, TRole[]>> = {
  "option1-patch": ["ASSESSOR", "DEVELOPER"],
  "option1-unfit": ["ASSESSOR", "CRITICAL_ADMIN"],
  "team-unreachable": ["ASSESSOR", "CRITICAL_ADMIN"],
  "option2-patch": ["ASSESSOR"],
  "option2-deploy": ["CRITICAL_ADMIN"],
  "option2-failed": ["ASSESSOR", "CRITICAL_ADMIN"],
  "live-analysis": ["ASSESSOR", "CRITICAL_ADMIN"],
  "session-opened": ["CRITICAL_ADMIN"],
  "session-terminated": ["CRITICAL_ADMIN"],
  "session-disabled": ["CRITICAL_ADMIN"],
  resolve: ["ASSESSOR", "CRITICAL_ADMIN"],
  close: ["ASSESSOR", "CRITICAL_ADMIN"],
};
const GATE_ROLE: Record<string, TRole> = {
  "review-1": "ASSESSOR",
  test: "TESTER",
  "review-2": "ASSESSOR",
  deploy: "CRITICAL_ADMIN",
};

/**
 * What an arbitrator needs beside the record (E7, issue #15 item 4): the diffs
 * that went onto the live system (option 2's recorded patch, option 3's change
 * made in the session, option 1's deployed revision), and every signer by
 * name with their part in the emergency. The same facts the evidence bundle
 * carries (lib/server/emergencies/build-emergency-bundle.ts).
 */
export async function disputeEvidence({
  actor,
  emergencyId,
}: {
  actor: TActor;
  emergencyId: string;
}): Promise<{ diffs: TDeployedDiff[]; signers: TSigner[] }> {
  authorize(actor, "dispute:read");
  const e = await db.emergency.findUnique({
    where: { id: emergencyId },
    include: {
      moves: { orderBy: [{ at: "asc" }, { id: "asc" }] },
      responders: true,
      disputes: { include: { ruling: true } },
      patches: {
        orderBy: { number: "asc" },
        include: {
          revisions: {
            orderBy: { number: "asc" },
            select: { number: true, diff: true, diffSha256: true },
          },
          deployments: { select: { id: true, revision: { select: { diffSha256: true } } } },
        },
      },
    },
  });
  if (!e) return { diffs: [], signers: [] };
  const revisionWith = (sha256: string | undefined) => {
    for (const p of e.patches)
      for (const r of p.revisions)
        if (r.diffSha256 === sha256) return { patch: { number: p.number, revision: r.number }, r };
    return null;
  };
  const data = (m: (typeof e.moves)[number]) =>
    (m.data ?? {}) as { diff?: string; sha256?: string; gate?: string; deploymentId?: string };

  const diffs: TDeployedDiff[] = [];
  const add = (label: string, bytes: Uint8Array) => {
    const sha256 = sha256Hex(bytes);
    if (diffs.some((d) => d.sha256 === sha256 && d.label === label)) return;
    diffs.push({
      label,
      sha256,
      text: decodeDiff(bytes),
      patch: revisionWith(sha256)?.patch ?? null,
    });
  };
  if (e.moves.some((m) => m.kind === "option2-deploy")) {
    const p = e.moves.find((m) => m.kind === "option2-patch");
    if (p && data(p).diff)
      add(
        "Option 2: the assessor's patch the critical admin deployed",
        new Uint8Array(Buffer.from(data(p).diff!, "base64")),
      );
  }
  for (const m of e.moves) {
    const d = data(m);
    if (m.kind === "session-disabled") {
      const re = revisionWith(d.sha256);
      if (re) add("Option 3: the change made on the live system in the session", re.r.diff);
    }
    if (m.kind === "gate" && d.gate === "deploy" && d.deploymentId) {
      const rec = e.patches.flatMap((p) => p.deployments).find((x) => x.id === d.deploymentId);
      const re = revisionWith(rec?.revision.diffSha256);
      if (re) add("Option 1: the patch revision the critical team deployed", re.r.diff);
    }
  }

  const statements = await db.signedStatement.findMany({
    where: { subjectType: "emergency", subjectId: e.id },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, signerId: true, receivedAt: true, fingerprint: true },
  });
  const people = await db.user.findMany({
    where: { id: { in: [...new Set(statements.map((s) => s.signerId))] } },
    select: {
      id: true,
      name: true,
      grants: { where: { approvedAt: { not: null }, revokedAt: null }, select: { role: true } },
    },
  });
  const signers = statements.map((s) => {
    const who = people.find((p) => p.id === s.signerId);
    const held = (who?.grants ?? []).map((r) => r.role as TRole);
    const kind = fromNonceKind(s.kind) ?? s.kind;
    const move = e.moves.find((m) => m.statementId === s.id);
    const responder = e.responders.find((r) => r.statementId === s.id);
    const capacity = (roles: readonly TRole[]) => {
      const r = roles.find((x) => held.includes(x)) ?? roles[0];
      return r ? ROLE_LABEL[r] : "";
    };
    let role = "";
    let what = kind;
    if (responder) {
      role = `${TEAM_LABEL[responder.team as TTeam]} responder`;
      what = "Acknowledged standby";
    } else if (kind === "ruling") {
      role = "Arbitrator";
      what = "Ruling on the dispute";
    } else if (move) {
      const d = data(move);
      const asRole = (move.data as { as?: TRole } | null)?.as;
      role =
        move.kind === "gate"
          ? ROLE_LABEL[GATE_ROLE[d.gate ?? ""] ?? "ASSESSOR"]
          : asRole
            ? ROLE_LABEL[asRole]
            : capacity(ROLE_OF_KIND[move.kind] ?? []);
      what =
        move.kind === "gate"
          ? `Option 1 gate: ${GATE_LABEL[d.gate as keyof typeof GATE_LABEL] ?? d.gate}`
          : (MOVE_LABEL[move.kind as keyof typeof MOVE_LABEL] ?? move.kind);
    }
    if (s.signerId === e.declaredById) role = role ? `${role}, declarer` : "Declarer";
    return {
      statementId: s.id,
      name: who?.name ?? "unknown",
      role,
      what,
      receivedAt: s.receivedAt,
      fingerprint: s.fingerprint,
    };
  });
  return { diffs, signers };
}
