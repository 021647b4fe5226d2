import { db } from "../../lib/db";
import { completeOutbox } from "../complete-outbox";
import { postTrackerNote, trackerOf } from "../tracker/system-tracker";
import { PermanentError, type THandler } from "./context";

// E3: a tester's signed result on option 1's patch goes to the patch's bug in
// the system's tracker (a MantisBT note, or the webhook), exactly once per result.

const receiptKey = (moveId: string) => `tracker:emergency-test-result:${moveId}`;

async function loadResult(moveId: string) {
  const m = await db.emergencyMove.findUnique({
    where: { id: moveId },
    include: {
      actor: { select: { name: true, email: true } },
      statement: { select: { fingerprint: true } },
      emergency: { include: { system: true } },
    },
  });
  const d = (m?.data ?? {}) as {
    gate?: string;
    patchId?: string;
    sha256?: string;
    verdict?: string;
  };
  if (!m || m.kind !== "gate" || d.gate !== "test" || !d.patchId)
    throw new PermanentError(`emergency move ${moveId} is not a test result of option 1's patch`);
  const patch = await db.patch.findUnique({
    where: { id: d.patchId },
    include: { revisions: { select: { number: true, diffSha256: true } } },
  });
  if (!patch) throw new PermanentError(`patch ${d.patchId} does not exist`);
  const revision = patch.revisions.find((r) => r.diffSha256 === d.sha256)?.number;
  return {
    move: m,
    patch,
    revision,
    sha256: d.sha256 ?? "",
    verdict: d.verdict === "fail" ? "fail" : "pass",
  } as const;
}

/** The note's text: the result, the patch and revision, the tester and their words, the link. */
export function testResultNote(r: {
  verdict: "pass" | "fail";
  emergencyNumber: number;
  patchNumber: number;
  revision: number | undefined;
  sha256: string;
  signer: string;
  comment: string;
  url: string;
}): string {
  return [
    `Emergency #${r.emergencyNumber}, option 1: test ${r.verdict === "pass" ? "passed" : "FAILED"} for patch #${r.patchNumber}${r.revision ? ` revision ${r.revision}` : ""}`,
    `Diff SHA-256: ${r.sha256}`,
    `Signed by ${r.signer}.`,
    ...(r.comment.trim() ? ["", r.comment.trim()] : []),
    "",
    r.url,
  ].join("\n");
}

export const postTestResult: THandler<"emergency.test-result"> = async (
  ctx,
  outboxId,
  { moveId },
) => {
  const { move, patch, revision, sha256, verdict } = await loadResult(moveId);
  const { emergency: e } = move;
  const system = e.system;
  const tracker = trackerOf(ctx, system);
  const url = new URL(`/emergencies/${e.number}`, ctx.publicUrl).toString();
  const note = testResultNote({
    verdict,
    emergencyNumber: e.number,
    patchNumber: patch.number,
    revision,
    sha256,
    signer: `${move.actor.name} <${move.actor.email}>${move.statement ? ` (key ${move.statement.fingerprint})` : ""}`,
    comment: move.reason ?? "",
    url,
  });
  await postTrackerNote(tracker, {
    receiptKey: receiptKey(move.id),
    outboxId,
    timeoutMs: ctx.timeoutMs,
    bugId: patch.bugId,
    note,
    event: "emergency.test-result",
    fields: {
      system: system.slug,
      emergency: { number: e.number, url },
      patch: { number: patch.number, title: patch.title, revision, sha256 },
      bug: patch.bugId,
      verdict,
      tester: move.actor.name,
      comment: move.reason ?? "",
      note,
    },
  });
  await completeOutbox(outboxId);
};
