import { db } from "../../lib/db";
import { parseStatement } from "../../lib/domain/statements";
import { readUpdateStatement } from "../../lib/domain/update-statements";
import { completeOutbox } from "../complete-outbox";
import { postTrackerNote, trackerOf } from "../tracker/system-tracker";
import { PermanentError, type THandler } from "./context";

// S3: a tester's signed update-verify goes to the bug tracker as a comment
// (a MantisBT note, or the webhook), exactly once per sign-off.

const receiptKey = (signoffId: string) => `tracker:update-verification:${signoffId}`;

async function loadSignoff(signoffId: string) {
  const s = await db.updateSignoff.findUnique({
    where: { id: signoffId },
    include: {
      signer: { select: { name: true, email: true } },
      statement: { select: { statement: true, fingerprint: true } },
      update: { include: { system: true } },
    },
  });
  if (!s) throw new PermanentError(`update sign-off ${signoffId} does not exist`);
  if (s.kind !== "VERIFY" || !s.series)
    throw new PermanentError(`update sign-off ${signoffId} is not a verification of a series`);
  return s;
}

/** "package version" for every package, as the signed statement names them. */
export function verifiedVersions(
  statement: string,
  packages: string[],
  version: string,
): [string, string][] {
  const parsed = parseStatement(statement);
  const read = parsed ? readUpdateStatement(parsed) : null;
  if (read?.versions) return Object.entries(read.versions);
  return packages.map((p) => [p, version]);
}

export type TVerificationComment = {
  verdict: "pass" | "fail";
  series: string;
  tag: string;
  signer: string;
  comment: string;
  versions: [string, string][];
  url: string;
};

/** The comment's text: the verdict and tag, the signer, the tester's words, the versions, the link. */
export function verificationNote(c: TVerificationComment): string {
  return [
    `Verification ${c.verdict === "pass" ? "done" : "failed"} for ${c.series} (${c.tag})`,
    `Signed by ${c.signer}.`,
    ...(c.comment.trim() ? ["", c.comment.trim(), ""] : [""]),
    ...c.versions.map(([p, v]) => `${p} ${v}`),
    "",
    c.url,
  ].join("\n");
}

export const postVerificationComment: THandler<"update.verification-comment"> = async (
  ctx,
  outboxId,
  { signoffId },
) => {
  const s = await loadSignoff(signoffId);
  const {
    update,
    update: { system },
  } = s;
  const tracker = trackerOf(ctx, system);
  const verdict = s.verdict === "pass" ? "pass" : "fail";
  const series = s.series!;
  const tag = `verification-${verdict === "pass" ? "done" : "failed"}-${series}`;
  const url = new URL(`/updates/${update.id}`, ctx.publicUrl).toString();
  const versions = verifiedVersions(s.statement.statement, update.packages, update.version);
  const note = verificationNote({
    verdict,
    series,
    tag,
    signer: `${s.signer.name} <${s.signer.email}> (key ${s.statement.fingerprint})`,
    comment: s.comment,
    versions,
    url,
  });
  await postTrackerNote(tracker, {
    receiptKey: receiptKey(s.id),
    outboxId,
    timeoutMs: ctx.timeoutMs,
    bugId: update.bugId,
    note,
    event: "update.verification",
    fields: {
      system: system.slug,
      update: { number: update.number, title: update.title, url },
      bug: update.bugId,
      series,
      verdict,
      tag,
      comment: s.comment,
      versions: Object.fromEntries(versions),
      note,
    },
  });
  await completeOutbox(outboxId);
};
