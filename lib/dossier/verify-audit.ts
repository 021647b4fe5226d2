import { auditHash } from "../crypto/audit-chain";
import { ZEventLine, ZHead, type TEventLine, type TManifest } from "./manifest";
import { utf8Text, type CheckLog } from "./check-log";

type TPayload = Record<string, unknown>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The patch's audit events: each hash recomputes, sequence numbers increase,
 * neighbours link, nothing runs past the recorded head, and the events record
 * every revision and every signature in the dossier.
 */
export function checkAudit(
  log: CheckLog,
  manifest: TManifest,
  files: ReadonlyMap<string, Uint8Array>,
) {
  const eventsText =
    files.get(manifest.audit.events) && utf8Text(files.get(manifest.audit.events)!);
  const headText = files.get(manifest.audit.head) && utf8Text(files.get(manifest.audit.head)!);
  const head = headText ? ZHead.safeParse(parseJson(headText)) : null;
  if (!head?.success)
    log.fail("audit", manifest.audit.head, "missing or not a chain head { seq, hash, at }");
  if (eventsText == null) {
    log.fail("audit", manifest.audit.events, "missing or not UTF-8");
    return;
  }

  const problems: string[] = [];
  const events: TEventLine[] = [];
  const lines = eventsText.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((line, i) => {
    const parsed = ZEventLine.safeParse(parseJson(line));
    if (!parsed.success) problems.push(`line ${i + 1} is not an audit event`);
    else events.push(parsed.data);
  });
  if (events.length !== manifest.audit.count)
    problems.push(`${events.length} events, the manifest says ${manifest.audit.count}`);

  // Deployment events name their patch in the payload: no need to trust deployment.json here.
  const aboutThisPatch = (e: TEventLine) =>
    (e.subjectType === "patch" && e.subjectId === manifest.patch.id) ||
    (e.subjectType === "deployment" &&
      (e.payload as TPayload | null)?.patchId === manifest.patch.id);
  let previous: TEventLine | null = null;
  for (const e of events) {
    const seq = BigInt(e.seq);
    const hash = auditHash({ ...e, seq, at: new Date(e.at) });
    if (hash !== e.hash)
      problems.push(`event ${e.seq} (${e.action}): its content does not match its hash`);
    if (!aboutThisPatch(e))
      problems.push(
        `event ${e.seq} is about ${e.subjectType} ${e.subjectId}, not this patch or its deployments`,
      );
    if (previous) {
      const before = BigInt(previous.seq);
      if (seq <= before)
        problems.push(
          `event ${e.seq} follows event ${previous.seq}: sequence numbers must increase`,
        );
      else if (seq === before + 1n && e.prevHash !== previous.hash)
        problems.push(`event ${e.seq} does not link to event ${previous.seq}`);
    }
    previous = e;
  }
  if (head?.success && previous) {
    const headSeq = BigInt(head.data.seq);
    if (BigInt(previous.seq) > headSeq)
      problems.push(`event ${previous.seq} is past the recorded head ${head.data.seq}`);
    if (BigInt(previous.seq) === headSeq && previous.hash !== head.data.hash)
      problems.push(`the last event's hash differs from the recorded head's`);
  }
  log.expect(
    "audit",
    manifest.audit.events,
    problems,
    `${events.length} events: hashes recompute, seq increasing${head?.success ? `, head ${head.data.seq} ${head.data.hash.slice(0, 16)}…` : ""}`,
  );
  checkCoverage(log, manifest, events);
}

/** The audit log and the signed record tell the same story. */
function checkCoverage(log: CheckLog, manifest: TManifest, events: TEventLine[]) {
  const problems: string[] = [];
  const payloads = (action: string) =>
    events.filter((e) => e.action === action).map((e) => e.payload as TPayload);
  const created = payloads("patch.created")[0];
  const first = manifest.revisions.find((r) => r.number === 1);
  if (!created) problems.push("no patch.created event");
  else {
    const expected: TPayload = {
      number: manifest.patch.number,
      system: manifest.patch.system,
      title: manifest.patch.title,
      bugId: manifest.patch.bugId,
      diffSha256: first?.sha256,
    };
    for (const [k, v] of Object.entries(expected))
      if (created[k] !== v)
        problems.push(
          `patch.created says ${k} ${JSON.stringify(created[k])}, the manifest ${JSON.stringify(v)}`,
        );
  }
  for (const rev of manifest.revisions.filter((r) => r.number > 1)) {
    if (
      !payloads("patch.revised").some(
        (p) => p.revision === rev.number && p.diffSha256 === rev.sha256,
      )
    )
      problems.push(`no patch.revised event for revision ${rev.number} with its SHA-256`);
  }
  const signed = [
    ...payloads("patch.signed"),
    ...payloads("deployment.presence"),
    ...payloads("patch.withdrawn"),
  ];
  for (const s of manifest.statements) {
    const p = signed.find((x) => x.statementId === s.id);
    if (!p) problems.push(`no audit event records ${s.file}`);
    else if (p.fingerprint !== s.fingerprint)
      problems.push(`the audit event of ${s.file} names key ${String(p.fingerprint)}`);
  }
  const all = signed.filter((p) => !manifest.statements.some((s) => s.id === p.statementId));
  for (const p of all)
    problems.push(`signature ${String(p.statementId)} is in the audit log but not in the dossier`);
  log.expect(
    "audit",
    "coverage",
    problems,
    `every revision and all ${manifest.statements.length} signatures have their audit event`,
  );
}
