import "server-only";
import { db } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { testResults, type TGate } from "../../domain/emergency-ladder";
import { loadFastPathPatch, loadLadder } from "./emergency-facts";

export type TFastPathGate = {
  gate: TGate;
  /** The signer's name. */
  by: string;
  at: Date;
  verdict?: "pass" | "fail";
  develCommit?: string;
  testServer?: string;
};

export type TFastPathView = {
  patch: {
    id: string;
    number: number;
    title: string;
    state: string;
    revision: number;
    diffSha256: string;
  } | null;
  /** The gates signed for the current revision, in the order signed. */
  gates: TFastPathGate[];
  /** The test gate's count on the current revision, against the system's test policy. */
  tests: { passed: number; failed: number; need: number };
  /** The deployment record of the current revision, once opened. */
  deployment: { id: string; state: string } | null;
  /** The 24 hours ran out before the emergency ended (or, while it is open, by now). */
  deadlinePassed: boolean;
};

/**
 * Option 1 on a patch (E3) as the emergency page shows it: the patch and its
 * current revision, the gates signed for that diff (a new revision starts them
 * again), the testers' count, the deployment record and whether the 24 hours
 * are over. Any signed-in person who may read patches may read it.
 */
export async function getFastPath(
  emergencyId: string,
  { actor, now = new Date() }: { actor: TActor; now?: Date },
): Promise<TFastPathView> {
  authorize(requirePerson(actor), "patch:read");
  const { emergency: e, ladder } = await db.$transaction((tx) => loadLadder(tx, emergencyId));
  const patch = await loadFastPathPatch(db, e.moves);
  const sha = patch?.revision.diffSha256;
  const rows = e.moves.filter(
    (m) => m.kind === "gate" && (m.data as { sha256?: string } | null)?.sha256 === sha,
  );
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((m) => m.actorId))] } },
    select: { id: true, name: true },
  });
  const gates: TFastPathGate[] = patch
    ? rows.map((m) => {
        const d = (m.data ?? {}) as Record<string, string | undefined>;
        return {
          gate: d.gate as TGate,
          by: users.find((u) => u.id === m.actorId)?.name ?? "unknown",
          at: m.at,
          ...(d.verdict ? { verdict: d.verdict as "pass" | "fail" } : {}),
          ...(d.develCommit ? { develCommit: d.develCommit } : {}),
          ...(d.testServer ? { testServer: d.testServer } : {}),
        };
      })
    : [];
  const t = testResults(ladder);
  const record = patch
    ? await db.deploymentRecord.findFirst({
        where: { patchId: patch.id, revision: { number: patch.currentRevision } },
        orderBy: { openedAt: "desc" },
        select: { id: true, state: true },
      })
    : null;
  const endedAt = e.resolvedAt ?? e.closedAt ?? now;
  return {
    patch: patch && {
      id: patch.id,
      number: patch.number,
      title: patch.title,
      state: patch.state,
      revision: patch.currentRevision,
      diffSha256: patch.revision.diffSha256,
    },
    gates,
    tests: { passed: t.passed.length, failed: t.failed.length, need: t.need },
    deployment: record,
    deadlinePassed: endedAt >= e.deadlineAt,
  };
}
