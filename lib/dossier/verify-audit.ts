import { auditHash } from "../crypto/audit-chain";
import { ZEventLine, type TEventLine, type TManifest } from "./manifest";
import { utf8Text, type CheckLog } from "./check-log";

type TPayload = Record<string, unknown>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** audit/links.txt: `<seq> <hash>` per line, or the reason it cannot be read. */
export function readLinks(text: string | null | undefined): Map<bigint, string> | string {
  if (text == null) return "missing or not UTF-8";
  const links = new Map<bigint, string>();
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const [i, line] of lines.entries()) {
    const m = line.match(/^([1-9][0-9]*) ([0-9a-f]{64})$/);
    if (!m) return `line ${i + 1} is not "<seq> <sha256>"`;
    if (links.has(BigInt(m[1]))) return `seq ${m[1]} is listed twice`;
    links.set(BigInt(m[1]), m[2]);
  }
  return links;
}

/**
 * The patch's audit events: each hash recomputes, they are about this patch,
 * and with the link hashes they form one unbroken chain from the first of them
 * to the head the manifest names (docs/decisions/0008). The events record
 * every revision and every signature in the dossier.
 */
export function checkAudit(
  log: CheckLog,
  manifest: TManifest,
  files: ReadonlyMap<string, Uint8Array>,
) {
  const eventsBytes = files.get(manifest.audit.events);
  const eventsText = eventsBytes && utf8Text(eventsBytes);
  const linksBytes = files.get(manifest.audit.links);
  const links = readLinks(linksBytes && utf8Text(linksBytes));
  if (typeof links === "string") log.fail("audit", manifest.audit.links, links);
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
    const hash = auditHash({ ...e, seq: BigInt(e.seq), at: new Date(e.at) });
    if (hash !== e.hash)
      problems.push(`event ${e.seq} (${e.action}): its content does not match its hash`);
    if (!aboutThisPatch(e))
      problems.push(
        `event ${e.seq} is about ${e.subjectType} ${e.subjectId}, not this patch or its deployments`,
      );
    if (previous && BigInt(e.seq) <= BigInt(previous.seq))
      problems.push(`event ${e.seq} follows event ${previous.seq}: sequence numbers must increase`);
    previous = e;
  }
  const head = manifest.audit.head;
  if (typeof links !== "string" && events.length)
    problems.push(...chainProblems(events, links, head));
  log.expect(
    "audit",
    manifest.audit.events,
    problems,
    `${events.length} events: hashes recompute and chain through ${typeof links === "string" ? "?" : links.size} other event(s) to head ${head.seq} ${head.hash.slice(0, 16)}…`,
  );
  checkCoverage(log, manifest, events);
}

/**
 * Every seq from the first event to the head is either one of the patch's
 * events or a link; each patch event's prevHash is its predecessor's hash; the
 * hash at the head's seq is the head's.
 */
export function chainProblems(
  events: TEventLine[],
  links: Map<bigint, string>,
  head: TManifest["audit"]["head"],
): string[] {
  const problems: string[] = [];
  const hashAt = new Map(links);
  for (const e of events) {
    if (hashAt.has(BigInt(e.seq))) problems.push(`event ${e.seq} is also listed as a link`);
    hashAt.set(BigInt(e.seq), e.hash);
  }
  const first = BigInt(events[0].seq);
  const headSeq = BigInt(head.seq);
  if (BigInt(events.at(-1)!.seq) > headSeq)
    return [`event ${events.at(-1)!.seq} is past the head ${head.seq} the manifest names`];
  for (const seq of hashAt.keys())
    if (seq < first || seq > headSeq)
      problems.push(`link ${seq} lies outside events ${first}..${head.seq}`);
  const gaps: bigint[] = [];
  for (let seq = first; seq <= headSeq; seq++) if (!hashAt.has(seq)) gaps.push(seq);
  if (gaps.length)
    problems.push(
      `the chain from event ${first} to the head has ${gaps.length} hole(s), first at ${gaps[0]}`,
    );
  for (const e of events.slice(1)) {
    const before = hashAt.get(BigInt(e.seq) - 1n);
    if (before !== undefined && e.prevHash !== before)
      problems.push(`event ${e.seq} does not link to the hash of event ${BigInt(e.seq) - 1n}`);
  }
  // A link's own prevHash is not carried: the patch event after it is what links to it.
  if (hashAt.get(headSeq) !== undefined && hashAt.get(headSeq) !== head.hash)
    problems.push(`the hash at seq ${head.seq} is not the head's ${head.hash}`);
  return problems;
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
    // Ticks by hand and decisions are signed (X1); the worker's ticks carry no statement.
    ...[...payloads("deployment.step"), ...payloads("deployment.applicability")].filter(
      (p) => p.statementId !== undefined,
    ),
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
