import { openSealedBundle } from "./open-bundle";
import { sha256Hex } from "../crypto/hash";
import { isAppError } from "../errors";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { can } from "../domain/permissions";
import { parseStatement, type TParsedStatement } from "../domain/statements";
import { readStepStatement } from "../domain/step-statement";
import {
  LADDER,
  replay,
  TEAM_ROLE,
  type TMove,
  type TMoveKind,
  type TTeam,
} from "../domain/emergency-ladder";
import type { TRole } from "../domain/roles";
import { CheckLog, utf8Text } from "./check-log";
import {
  checkBundleKeys,
  checkListedFiles,
  jsonOf,
  readBundleAudit,
  type TCheckedKeys,
  type TFiles,
} from "./bundle-checks";
import type { TTrustAnchor } from "./portal-seal";
import {
  emergencyBundleRoot,
  ZEmergencyBundleManifest,
  ZEmergencyRecord,
  type TEmergencyBundleManifest,
  type TEmergencyRecord,
} from "./emergency-bundle";

// The offline check of an emergency's evidence bundle: the portal's seal with
// the reader's anchor, every file's SHA-256, every statement signed by a key of
// the account the manifest names, its fields the recorded move's (kind, gate,
// emergency id and number, reason, the diff's and the session log's SHA-256 of
// files in the bundle), its signer holding a role allowed to make it; each
// ruling by an arbitrator who took no part; the ladder replayed from the moves
// alone giving the recorded state and disputes; the audit events chained to
// the head and recording every move in the same order.

type TMoveRec = TEmergencyRecord["moves"][number];
type TStatementEntry = TEmergencyBundleManifest["statements"][number];

/** What a statement file is the signature of, according to emergency.json. */
type TUse =
  | { what: "move"; move: TMoveRec }
  | { what: "acknowledge"; responder: TEmergencyRecord["responders"][number] }
  | {
      what: "ruling";
      dispute: TEmergencyRecord["disputes"][number];
      ruling: NonNullable<TEmergencyRecord["disputes"][number]["ruling"]>;
    }
  | {
      what: "step";
      deployment: TEmergencyRecord["deployments"][number];
      step: TEmergencyRecord["deployments"][number]["steps"][number];
    };

const textOf = (files: TFiles, name: string) => {
  const bytes = files.get(name);
  return bytes ? utf8Text(bytes) : null;
};

/** A recorded move as the ladder reads it (lib/server/emergencies/emergency-facts.ts toMove). */
export function moveOf(m: TMoveRec): TMove {
  const str = (k: string) => (typeof m.data[k] === "string" ? (m.data[k] as string) : undefined);
  return {
    kind: m.kind,
    actorId: m.actor.id,
    reason: m.reason ?? undefined,
    gate: (m.gate ?? undefined) as TMove["gate"],
    team: str("team") as TMove["team"],
    as: str("as") as TMove["as"],
    granteeId: str("granteeId"),
    sha256: str("sha256"),
    verdict: str("verdict") as TMove["verdict"],
    deploymentId: str("deploymentId"),
  };
}

/** Everyone who took part: none of them may rule on its disputes (E7). */
function participants(r: TEmergencyRecord): Set<string> {
  return new Set([
    r.declarer.id,
    ...r.responders.map((x) => x.person.id),
    ...r.moves.map((m) => m.actor.id),
    ...r.sessions.flatMap((s) => [s.grantee.id, s.watcher.id]),
  ]);
}

function usesOf(r: TEmergencyRecord): Map<string, TUse> {
  const uses = new Map<string, TUse>();
  for (const move of r.moves)
    if (move.statement) uses.set(move.statement.file, { what: "move", move });
  for (const responder of r.responders)
    if (responder.statement) uses.set(responder.statement.file, { what: "acknowledge", responder });
  for (const dispute of r.disputes)
    if (dispute.ruling)
      uses.set(dispute.ruling.statement.file, { what: "ruling", dispute, ruling: dispute.ruling });
  for (const deployment of r.deployments)
    for (const step of deployment.steps)
      for (const s of [step.statement, step.decisionStatement])
        if (s) uses.set(s.file, { what: "step", deployment, step });
  return uses;
}

/** Each diff and session log against the SHA-256 the record names: the verified ones, by hash. */
function checkAttachments(log: CheckLog, r: TEmergencyRecord, files: TFiles) {
  const diffs = new Set<string>();
  const logs = new Set<string>();
  for (const d of r.diffs) {
    const bytes = files.get(d.file);
    const problems: string[] = [];
    if (!bytes) problems.push("the diff is missing");
    else if (sha256Hex(bytes) !== d.sha256)
      problems.push(
        `hashes to ${sha256Hex(bytes)}, not the SHA-256 ${d.sha256} the record names: the diff was changed`,
      );
    if (
      log.expect(
        "diff",
        d.file,
        problems,
        `${d.source}${d.patch ? ` (patch #${d.patch.number} r${d.patch.revision})` : ""}${d.deployed ? ", deployed" : ""}, SHA-256 ${d.sha256}`,
      )
    )
      diffs.add(d.sha256);
  }
  for (const s of r.sessions) {
    if (!s.log) continue;
    const bytes = files.get(s.log.file);
    const ok =
      bytes && sha256Hex(bytes) === s.log.sha256
        ? []
        : [
            bytes
              ? `hashes to ${sha256Hex(bytes)}, not the SHA-256 ${s.log.sha256} the record names: the log was changed`
              : "the session log is missing",
          ];
    if (log.expect("session", s.log.file, ok, `session log of ${s.grantee.name}'s remote session`))
      logs.add(s.log.sha256);
  }
  // What went onto the live system is in the bundle.
  const problems: string[] = [];
  const deployedOf = (source: string, sha256: string | undefined) =>
    r.diffs.some((d) => d.source === source && d.sha256 === sha256 && d.deployed);
  for (const m of r.moves) {
    const sha = moveOf(m).sha256;
    if (m.kind === "option2-deploy" && !deployedOf("option2-patch", sha))
      problems.push(
        `move ${m.seq} (option2-deploy) deployed ${sha ?? "a diff"}, which the bundle does not hold as deployed`,
      );
    if (m.kind === "gate" && m.gate === "deploy" && !deployedOf("option1-patch", sha))
      problems.push(
        `move ${m.seq} (deploy gate): option 1's deployed revision ${sha ?? ""} is not in the bundle`,
      );
    if (m.kind === "session-disabled" && !deployedOf("option3-session", sha))
      problems.push(
        `move ${m.seq} (session-disabled): the change made in the session is not in the bundle`,
      );
  }
  const option2 = r.moves.find((m) => m.kind === "option2-patch");
  for (const m of r.moves)
    if (m.kind === "option2-deploy" && moveOf(m).sha256 !== (option2 && moveOf(option2).sha256))
      problems.push(
        `move ${m.seq} (option2-deploy) names another diff than the assessor's recorded patch`,
      );
  log.expect(
    "diff",
    "deployed",
    problems,
    `${r.diffs.filter((d) => d.deployed).length} deployed diff(s) in the bundle`,
  );
  return { diffs, logs };
}

async function checkStatement(
  m: TEmergencyBundleManifest,
  r: TEmergencyRecord,
  files: TFiles,
  keys: TCheckedKeys,
  verified: { diffs: Set<string>; logs: Set<string> },
  use: TUse | undefined,
  s: TStatementEntry,
): Promise<string[]> {
  const text = textOf(files, s.file);
  const parsed: TParsedStatement | null = text ? parseStatement(text) : null;
  if (!parsed) return ["missing or not a patchgate-statement v1 text"];
  if (!use) return ["emergency.json does not say what this statement is for"];
  const problems: string[] = [];
  const expect: [string, string | undefined][] = [
    ["signer-account", s.signer.account],
    ["key-fingerprint", s.fingerprint],
  ];
  const mismatch = (field: string, value: string | undefined, whose: string) => {
    const said = parsed[field] === "" ? undefined : parsed[field];
    if (said !== value)
      problems.push(`says ${field}: ${said ?? "(none)"}, ${whose} ${value ?? "(none)"}`);
  };
  if (use.what !== "step") {
    expect.push(
      ["kind", s.kind],
      ["emergency", r.id],
      ["emergency-number", String(r.number)],
      ["system", r.system.slug],
    );
  }
  for (const [field, value] of expect) mismatch(field, value, "the bundle");

  let needs: readonly TRole[] = [];
  let needsWhat = "";
  if (use.what === "move") {
    const mv = use.move;
    const move = moveOf(mv);
    const whose = `the record's move ${mv.seq} (${mv.kind})`;
    mismatch("kind", mv.kind, whose);
    mismatch("gate", move.gate, whose);
    if (mv.kind === "team-unreachable") mismatch("team", move.team, whose);
    if (mv.kind === "option3-declaration") mismatch("role", move.as, whose);
    if (mv.kind === "session-opened") mismatch("grantee-account", move.granteeId, whose);
    if (mv.kind === "gate" && mv.gate === "test") mismatch("verdict", move.verdict, whose);
    if (mv.kind === "gate" && mv.gate === "review-1") {
      mismatch("devel-commit", mv.data.develCommit as string | undefined, whose);
      mismatch("test-server", mv.data.testServer as string | undefined, whose);
    }
    const patch = r.diffs.find((d) => d.patch && d.patch.id === mv.data.patchId)?.patch;
    if (patch && parsed["patch-number"] !== undefined)
      mismatch("patch-number", String(patch.number), whose);
    mismatch("signer-account", mv.actor.id, whose);
    if ((parsed.comment ?? "") !== (mv.reason ?? ""))
      problems.push(`its signed reason is not ${whose}'s reason`);
    const sha = parsed["patch-sha256"];
    if (sha !== undefined || move.sha256 !== undefined) {
      if (move.sha256 !== undefined && sha !== move.sha256)
        problems.push(`says patch-sha256: ${sha ?? "(none)"}, ${whose} ${move.sha256}`);
      if (sha !== undefined && !verified.diffs.has(sha))
        problems.push(`names patch-sha256 ${sha}, which is the SHA-256 of no diff in the bundle`);
    }
    const logSha = parsed["session-log-sha256"];
    if (mv.kind === "session-disabled" && (!logSha || !verified.logs.has(logSha)))
      problems.push(
        `names session-log-sha256 ${logSha ?? "(none)"}, which is the SHA-256 of no session log in the bundle`,
      );
    needs = LADDER[mv.kind as TMoveKind].who(move);
    needsWhat = needs.join(" or ");
  } else if (use.what === "acknowledge") {
    const whose = `the ${use.responder.team} responder's acknowledgement`;
    mismatch("kind", "acknowledge", "the record");
    mismatch("team", use.responder.team, whose);
    mismatch("signer-account", use.responder.person.id, whose);
    needs = [TEAM_ROLE[use.responder.team as TTeam]];
    needsWhat = needs.join("");
  } else if (use.what === "ruling") {
    const whose = `dispute #${use.dispute.number}'s ruling`;
    mismatch("kind", "ruling", "the record");
    mismatch("dispute", use.dispute.id, whose);
    mismatch("dispute-number", String(use.dispute.number), whose);
    mismatch("verdict", use.ruling.verdict, whose);
    mismatch("signer-account", use.ruling.arbitrator.id, whose);
    if ((parsed.comment ?? "") !== use.ruling.reasoning)
      problems.push(`its signed reasoning is not ${whose}'s reasoning`);
    if (!can(s.signer.roles as TRole[], "dispute:rule"))
      problems.push(
        `a ruling needs dispute:rule; the signer held ${s.signer.roles.join(", ") || "no role"}`,
      );
    if (participants(r).has(use.ruling.arbitrator.id))
      problems.push(
        `${use.ruling.arbitrator.name} took part in the emergency and may not rule on it (E7)`,
      );
  } else {
    const step = readStepStatement(parsed);
    if (!step) problems.push("not a well-formed deployment step statement");
    else if (step.deploymentId !== use.deployment.id || step.number !== use.step.number)
      problems.push(
        `is about deployment ${step.deploymentId} step ${step.number}, the record says ${use.deployment.id} step ${use.step.number}`,
      );
    if (parsed["diff-sha256"] && parsed["diff-sha256"] !== use.deployment.diffSha256)
      problems.push(
        `says diff-sha256: ${parsed["diff-sha256"]}, the deployed revision ${use.deployment.diffSha256}`,
      );
    if (!can(s.signer.roles as TRole[], "deploy:tick"))
      problems.push(
        `a deployment step needs deploy:tick; the signer held ${s.signer.roles.join(", ") || "no role"}`,
      );
  }
  if (needs.length && !needs.some((role) => s.signer.roles.includes(role as never)))
    problems.push(
      `the move ${s.kind} is made by ${needsWhat}; the signer held ${s.signer.roles.join(", ") || "no role"}`,
    );

  const key = keys.get(s.fingerprint);
  if (!key) problems.push(`its key ${s.fingerprint} is not in the bundle`);
  else if (key.account !== s.signer.account)
    problems.push(
      `key ${s.fingerprint} belongs to another account than the signer ${s.signer.email}`,
    );
  if (key) {
    try {
      await verifyDetachedSignature({
        statement: text!,
        armoredSignature: textOf(files, s.signature) ?? "",
        armoredPublicKey: key.armored,
        now: new Date(s.receivedAt),
      });
    } catch (e) {
      problems.push(
        `${s.signature} is not a good signature by ${s.fingerprint}: ${isAppError(e) ? e.message : (e as Error).message}`,
      );
    }
  }
  return problems;
}

/** The ladder replayed from the moves alone: the recorded state and the disputes filed. */
function checkLadder(log: CheckLog, r: TEmergencyRecord) {
  const problems: string[] = [];
  r.moves.forEach((m, i) => {
    if (m.seq !== i + 1)
      problems.push(
        `move ${m.seq} (${m.kind}) is listed at position ${i + 1}: the moves are out of order or one is missing`,
      );
    const before = r.moves[i - 1];
    if (before && new Date(m.at) < new Date(before.at))
      problems.push(
        `move ${m.seq} (${m.kind}) is dated before move ${before.seq} (${before.kind}): the moves are out of order`,
      );
    // Option 1's deploy gate is the patch's deployment record, not a statement of its own.
    const deploymentId = moveOf(m).deploymentId;
    if (m.kind === "gate" && m.gate === "deploy" && deploymentId && !m.statement) {
      const d = r.deployments.find((x) => x.id === deploymentId);
      if (!d)
        problems.push(
          `move ${m.seq} (deploy gate) names deployment record ${deploymentId}, which is not in the bundle`,
        );
      else if (d.diffSha256 !== moveOf(m).sha256)
        problems.push(
          `move ${m.seq} (deploy gate): deployment record ${deploymentId} installed ${d.diffSha256}, the move says ${moveOf(m).sha256 ?? "(none)"}`,
        );
    } else if (!m.statement) problems.push(`move ${m.seq} (${m.kind}) has no signed statement`);
  });
  const ladder = replay(r.moves.map(moveOf), {
    declaredById: r.declarer.id,
    testsRequired: r.testsRequired,
  });
  if (ladder.state !== r.state)
    problems.push(
      `the record says ${r.state}; its moves replayed on the ladder make it ${ladder.state}`,
    );
  const filed = r.disputes.map((d) => d.cause ?? "unknown");
  if (ladder.disputes.join(",") !== filed.join(","))
    problems.push(
      `the moves call for dispute(s) ${ladder.disputes.join(", ") || "none"}; the record lists ${filed.join(", ") || "none"}`,
    );
  log.expect(
    "ladder",
    "emergency.json",
    problems,
    `${r.moves.length} moves replayed: ${r.state}, ${ladder.disputes.length} dispute(s)`,
  );
}

function checkAudit(
  log: CheckLog,
  m: TEmergencyBundleManifest,
  r: TEmergencyRecord,
  files: TFiles,
) {
  const subjects = new Set([
    r.id,
    ...r.disputes.map((d) => d.id),
    ...r.diffs.flatMap((d) => (d.patch ? [d.patch.id] : [])),
    ...r.deployments.flatMap((d) => [d.id, d.patch.id]),
  ]);
  const { events, problems } = readBundleAudit(m.audit, files, (e) =>
    subjects.has(e.subjectId ?? "") ? null : "not this emergency, its disputes or its patches",
  );
  const p = (e: (typeof events)[number]) => (e.payload ?? {}) as Record<string, unknown>;
  if (!events.some((e) => e.action === "emergency.declared" && e.subjectId === r.id))
    problems.push("no emergency.declared event");
  // Every signed move, in the order the record lists them.
  const audited = events
    .filter((e) => e.action === "emergency.move" && e.subjectId === r.id && p(e).statementId)
    .map((e) => ({ id: p(e).statementId as string, kind: p(e).kind as string }));
  const listed = r.moves.filter((x) => x.statement);
  for (const a of audited)
    if (!listed.some((x) => x.statement!.id === a.id))
      problems.push(
        `the audit log records the move ${a.kind} (statement ${a.id}) that emergency.json does not list: a move was removed`,
      );
  for (const x of listed) {
    const a = audited.find((y) => y.id === x.statement!.id);
    if (!a) problems.push(`no audit event records move ${x.seq} (${x.kind})`);
    else if (a.kind !== x.kind)
      problems.push(`the audit log records move ${x.seq} as ${a.kind}, the record as ${x.kind}`);
  }
  const inBoth = (ids: string[], other: string[]) => ids.filter((id) => other.includes(id));
  const auditOrder = inBoth(
    audited.map((a) => a.id),
    listed.map((x) => x.statement!.id),
  );
  const recordOrder = inBoth(
    listed.map((x) => x.statement!.id),
    audited.map((a) => a.id),
  );
  if (auditOrder.join(",") !== recordOrder.join(","))
    problems.push(
      `emergency.json lists the moves in another order than the audit log recorded them (${recordOrder
        .map((id) => listed.find((x) => x.statement!.id === id)!.kind)
        .join(
          ", ",
        )} vs ${auditOrder.map((id) => audited.find((a) => a.id === id)!.kind).join(", ")})`,
    );
  for (const x of r.moves)
    if (
      x.kind === "gate" &&
      x.gate === "deploy" &&
      !x.statement &&
      !events.some(
        (e) =>
          e.action === "emergency.fast-path-deployed" &&
          p(e).deploymentId === moveOf(x).deploymentId,
      )
    )
      problems.push(`no emergency.fast-path-deployed event records move ${x.seq} (deploy gate)`);
  for (const x of r.responders)
    if (
      x.statement &&
      !events.some(
        (e) => e.action === "emergency.acknowledged" && p(e).statementId === x.statement!.id,
      )
    )
      problems.push(`no audit event records the ${x.team} responder's acknowledgement`);
  for (const d of r.disputes) {
    const filed = events.find((e) => e.action === "dispute.filed" && e.subjectId === d.id);
    if (!filed) problems.push(`no dispute.filed event records dispute #${d.number}`);
    else if ((p(filed).cause ?? null) !== d.cause)
      problems.push(
        `dispute #${d.number} was filed for ${String(p(filed).cause)}, the record says ${d.cause}`,
      );
    if (
      d.ruling &&
      !events.some(
        (e) =>
          e.action === "dispute.ruled" &&
          e.subjectId === d.id &&
          p(e).statementId === d.ruling!.statement.id &&
          p(e).verdict === d.ruling!.verdict,
      )
    )
      problems.push(
        `no dispute.ruled event records dispute #${d.number}'s ruling (${d.ruling.verdict}, ${d.ruling.statement.file})`,
      );
    if ((d.state === "RULED") !== (d.ruling !== null))
      problems.push(`dispute #${d.number} is ${d.state} ${d.ruling ? "with" : "without"} a ruling`);
  }
  log.expect(
    "audit",
    m.audit.events,
    problems,
    `${events.length} events chain to head ${m.audit.head.seq}`,
  );
}

/** Checks an emergency's bundle (its files by path inside its directory) against the reader's trust anchor. */
export async function verifyEmergencyBundle(
  files: TFiles,
  opts: { root?: string; anchor: TTrustAnchor },
) {
  const log = new CheckLog();
  const { manifest, sealed } = await openSealedBundle(log, files, opts, {
    schema: ZEmergencyBundleManifest,
    what: "an emergency bundle manifest",
    describe: (m) =>
      `${m.format}, emergency #${m.emergency.number} ${m.emergency.title} (${m.emergency.system})`,
    root: (m) => emergencyBundleRoot(m.emergency.number),
  });
  let record: TEmergencyRecord | null = null;
  if (manifest) {
    const m = manifest;
    checkListedFiles(log, m.files, files);
    const r = ZEmergencyRecord.safeParse(jsonOf(files.get(m.emergency.record)));
    if (!r.success) {
      log.fail("record", m.emergency.record, "missing or not an emergency record");
    } else {
      record = r.data;
      const rec = r.data;
      const head: string[] = [];
      if (rec.id !== m.emergency.id || rec.number !== m.emergency.number)
        head.push(`it is emergency #${rec.number}, the manifest says #${m.emergency.number}`);
      if (rec.state !== m.emergency.state)
        head.push(`it says ${rec.state}, the manifest ${m.emergency.state}`);
      log.expect(
        "record",
        m.emergency.record,
        head,
        `emergency #${rec.number}, ${rec.state}, declared by ${rec.declarer.name}`,
      );
      const verified = checkAttachments(log, rec, files);
      const keys = await checkBundleKeys(log, m.keys, files);
      const uses = usesOf(rec);
      for (const s of m.statements)
        log.expect(
          "statement",
          s.file,
          await checkStatement(m, rec, files, keys, verified, uses.get(s.file), s),
          `${s.kind} by ${s.signer.name} <${s.signer.email}>, good signature`,
        );
      const missing = [...uses.keys()].filter((f) => !m.statements.some((s) => s.file === f));
      log.expect(
        "statement",
        "emergency.json",
        missing.map(
          (f) => `${f} is named in the record but is not among the manifest's statements`,
        ),
        `${uses.size} statements named in the record`,
      );
      checkLadder(log, rec);
      checkAudit(log, m, rec, files);
    }
  }
  const problems = log.problems;
  return {
    ok: sealed && problems.length === 0,
    sealed,
    checks: log.checks,
    problems,
    manifest,
    record,
  };
}
