import { openSealedBundle } from "./open-bundle";
import canonicalize from "canonicalize";
import { sha256Hex } from "../crypto/hash";
import { isAppError } from "../errors";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { can, type TPermission } from "../domain/permissions";
import { parseStatement } from "../domain/statements";
import { parseMajorChanges } from "../domain/update-template";
import { reviewOutcome } from "../domain/update-review";
import { readUpdateStatement, type TUpdateStatementKind } from "../domain/update-statements";
import {
  SERIES_CHECKS,
  updateTags,
  type TSeriesCheck,
  type TSeriesFacts,
} from "../domain/update-tags";
import type { TRole } from "../domain/roles";
import { MANIFEST } from "./layout";
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
  updateBundleRoot,
  updateRevisionFile,
  ZBundleHttpsChecks,
  ZBundleSeriesEvidence,
  ZUpdateBundleManifest,
  type TBundleHttpsChecks,
  type TBundleSeriesEvidence,
  type TUpdateBundleManifest,
} from "./update-bundle";

// The offline check of a release update's evidence bundle: the portal's seal
// with the reader's anchor, every file's SHA-256, every statement signed by a
// key of the account the manifest names and holding the permission its kind
// needs; each revision's text hashing to the body-sha256 its update-submit
// signed; each review, acknowledgement and verification binding a revision of
// the bundle by that hash; each acknowledgement naming an incompatible change
// of that revision's Major Changes; each verification's evidence hashing to the
// evidence-sha256 it signed and naming every package's version; the audit
// events chained to the head and recording every act; and the review outcome
// and the tags recomputed from the bundle alone, equal to the manifest's.

type TStatement = TUpdateBundleManifest["statements"][number];
type TRevision = TUpdateBundleManifest["revisions"][number];

const NEEDS: Record<TUpdateStatementKind, TPermission> = {
  "update-submit": "update:submit",
  "update-review": "update:review",
  "update-major-ack": "update:review",
  "update-verify": "update:verify",
};

const textOf = (files: TFiles, name: string) => {
  const bytes = files.get(name);
  return bytes ? utf8Text(bytes) : null;
};

/** Each revision's text, when its file is there and is UTF-8. */
function checkRevisions(log: CheckLog, m: TUpdateBundleManifest, files: TFiles) {
  const bodies = new Map<number, string>();
  const problems: string[] = [];
  m.revisions.forEach((r, i) => {
    if (r.number !== i + 1)
      problems.push(`revision ${r.number} is listed where revision ${i + 1} comes`);
    if (r.file !== updateRevisionFile(r.number))
      problems.push(`revision ${r.number} should be ${updateRevisionFile(r.number)}`);
    const body = textOf(files, r.file);
    if (body === null) problems.push(`${r.file} is missing or not UTF-8`);
    else bodies.set(r.number, body);
    if (!m.statements.some((s) => s.id === r.statement && s.kind === "update-submit"))
      problems.push(`revision ${r.number}'s update-submit statement is not in the bundle`);
  });
  if (m.revisions.length !== m.update.revision)
    problems.push(
      `${m.revisions.length} revision(s), the record says its latest signed revision is ${m.update.revision}`,
    );
  const current = m.revisions.at(-1);
  if (current && m.update.state !== "DRAFT" && current.bodySha256 !== m.update.body.sha256)
    problems.push(
      `the record is ${m.update.state}, yet its text is not revision ${current.number}'s: only an edit (DRAFT) may differ`,
    );
  log.expect(
    "revision",
    "revisions",
    problems,
    `${m.revisions.length} signed revision(s), the record ${m.update.state}`,
  );
  return bodies;
}

async function checkStatement(
  m: TUpdateBundleManifest,
  files: TFiles,
  keys: TCheckedKeys,
  bodies: Map<number, string>,
  s: TStatement,
): Promise<string[]> {
  const text = textOf(files, s.file);
  const parsed = text ? parseStatement(text) : null;
  const read = parsed ? readUpdateStatement(parsed) : null;
  if (!parsed || !read) return ["missing or not a well-formed update statement"];
  const problems: string[] = [];
  const revision: TRevision | undefined = m.revisions.find((r) => r.number === s.revision);
  const expect: [string, string | undefined][] = [
    ["kind", s.kind],
    ["verdict", s.verdict],
    ["update", m.update.id],
    ["update-number", String(m.update.number)],
    ["revision", String(s.revision)],
    ["system", m.update.system],
    ["signer-account", s.signer.account],
    ["key-fingerprint", s.fingerprint],
  ];
  if (revision)
    expect.push(
      ["title", revision.title],
      ["packages", revision.packages.join(", ")],
      ["version", revision.version],
      ["bug", revision.bugId],
    );
  for (const [field, value] of expect)
    if (parsed[field] !== value)
      problems.push(`says ${field}: ${parsed[field] ?? "(none)"}, the bundle ${value ?? "(none)"}`);

  if (!revision) {
    problems.push(
      `it binds revision ${s.revision}, which is not in the bundle: no signed update-submit made that revision`,
    );
  } else if (read.bodySha256 !== revision.bodySha256) {
    problems.push(
      `it names body-sha256 ${read.bodySha256}, revision ${revision.number}'s text has ${revision.bodySha256}`,
    );
  }
  const body = bodies.get(s.revision);

  if (read.kind === "update-submit" && revision) {
    if (revision.statement !== s.id)
      problems.push(`revision ${revision.number} names another update-submit as its own`);
    if (body !== undefined && sha256Hex(body) !== read.bodySha256)
      problems.push(
        `${revision.file} hashes to ${sha256Hex(body)}, not the body-sha256 ${read.bodySha256} its update-submit signed: the text was changed`,
      );
    if (body !== undefined && read.comment !== body)
      problems.push(`the text it signed is not ${revision.file}`);
    if (parsed.series !== revision.series.join(", "))
      problems.push(
        `says series: ${parsed.series ?? "(none)"}, revision ${revision.number} has ${revision.series.join(", ")}`,
      );
  }

  // Branch on what the signed text is; a manifest that says otherwise failed "kind" above.
  if (read.kind === "update-major-ack" && read.change) {
    const change = read.change;
    if (!s.change || s.change.number !== change.number || s.change.sha256 !== change.sha256)
      problems.push(`it acknowledges change ${change.number}, the manifest another`);
    if (body !== undefined) {
      const listed = parseMajorChanges(body, sha256Hex).find((c) => c.number === change.number);
      if (!listed)
        problems.push(
          `it acknowledges change ${change.number}, which revision ${s.revision}'s Major Changes does not list`,
        );
      else if (listed.sha256 !== change.sha256 || listed.text !== change.text)
        problems.push(
          `it acknowledges change ${change.number} as "${change.text}", revision ${s.revision} lists "${listed.text}"`,
        );
      else if (!listed.incompatible)
        problems.push(
          `it acknowledges change ${change.number} ("${listed.text}"), which is not marked not backwards compatible: only an incompatible change needs an update-major-ack`,
        );
    }
  }

  if (read.kind === "update-verify") {
    const series = read.series[0];
    if (s.series !== series)
      problems.push(`it verifies series ${series}, the manifest says ${s.series ?? "(none)"}`);
    if (revision && !revision.series.includes(series))
      problems.push(`series ${series} is not a target series of revision ${revision.number}`);
    const evidence = s.evidence ? files.get(s.evidence.file) : undefined;
    if (!s.evidence || !evidence) problems.push("the evidence it covers is not in the bundle");
    else if (sha256Hex(evidence) !== read.evidenceSha256)
      problems.push(
        `its evidence ${s.evidence.file} hashes to ${sha256Hex(evidence)}, not the evidence-sha256 ${read.evidenceSha256} it signed`,
      );
    else {
      // The evidence names the versions verified too: the same as the statement's.
      const covered = (jsonOf(evidence) ?? {}) as { versions?: unknown };
      if (
        covered.versions !== undefined &&
        canonicalize(covered.versions) !== canonicalize(read.versions ?? {})
      )
        problems.push(`its evidence ${s.evidence.file} names other versions than the statement`);
    }
    if (revision) {
      const versions = read.versions ?? {};
      for (const p of revision.packages)
        if (!versions[p]) problems.push(`it names no version for package ${p}`);
      for (const p of Object.keys(versions))
        if (!revision.packages.includes(p))
          problems.push(`it names package ${p}, which revision ${revision.number} does not`);
    }
  } else if (s.series !== null || s.evidence !== null)
    problems.push(`an ${s.kind} carries a series or evidence in the manifest`);
  if (s.kind !== "update-major-ack" && s.change !== null)
    problems.push(`an ${s.kind} carries a change in the manifest`);

  const key = keys.get(s.fingerprint);
  if (!key) problems.push(`its key ${s.fingerprint} is not in the bundle`);
  else if (key.account !== s.signer.account)
    problems.push(
      `key ${s.fingerprint} belongs to another account than the signer ${s.signer.email}`,
    );
  if (!can(s.signer.roles as TRole[], NEEDS[s.kind]))
    problems.push(
      `an ${s.kind} needs ${NEEDS[s.kind]}; the signer held ${s.signer.roles.join(", ") || "no role"}`,
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

function readJson<T>(
  log: CheckLog,
  file: string,
  files: TFiles,
  schema: { safeParse: (x: unknown) => { success: true; data: T } | { success: false } },
  what: string,
): T | null {
  const parsed = schema.safeParse(jsonOf(files.get(file)));
  if (parsed.success) return parsed.data;
  log.fail("evidence", file, `missing or not the ${what}`);
  return null;
}

/** A series' facts on one revision, as lib/domain/update-tags reads them: the latest of each check, the latest signed verification. */
export function seriesFactsOf(
  series: string,
  revision: number,
  evidence: TBundleSeriesEvidence,
  checks: TBundleHttpsChecks,
  verifies: { series: string | null; revision: number; verdict: string; receivedAt: string }[],
): TSeriesFacts {
  const latest = <T extends { createdAt: string }>(rows: T[]) =>
    rows.reduce<T | undefined>(
      (a, b) => (!a || new Date(b.createdAt) >= new Date(a.createdAt) ? b : a),
      undefined,
    );
  const facts: TSeriesFacts = { checks: {} };
  const mine = <T extends { series: string | null; revision: number }>(rows: T[]) =>
    rows.filter((r) => r.series === series && r.revision === revision);
  for (const check of SERIES_CHECKS) {
    let state: "pending" | "ok" | "failed" | undefined;
    if (check === "acme" || check === "smoke") {
      const row = latest(mine(evidence).filter((e) => e.kind === check.toUpperCase()));
      if (row) state = row.ok ? "ok" : "failed";
    } else {
      const row = latest(mine(checks).filter((c) => c.server === check));
      if (row) state = row.state === "PENDING" ? "pending" : row.ok ? "ok" : "failed";
    }
    if (state) facts.checks[check as TSeriesCheck] = state;
  }
  const verify = latest(mine(verifies).map((v) => ({ ...v, createdAt: v.receivedAt })));
  if (verify) facts.verify = { verdict: verify.verdict === "pass" ? "pass" : "fail" };
  return facts;
}

/** S2, S3: the review outcome and the tags, recomputed from the bundle alone. */
function checkOutcome(
  log: CheckLog,
  m: TUpdateBundleManifest,
  bodies: Map<number, string>,
  evidence: TBundleSeriesEvidence | null,
  checks: TBundleHttpsChecks | null,
): string[] | null {
  const r = m.update.revision;
  const current = m.revisions.find((x) => x.number === r);
  const body = bodies.get(r);
  const problems: string[] = [];
  let approved = false;
  if (current && body !== undefined) {
    const on = m.statements.filter((s) => s.revision === r);
    const outcome = reviewOutcome({
      reviewsRequired: m.update.reviewsRequired,
      submitterId: current.submittedBy,
      reviews: on
        // Neither the creator nor the submitter counts (lib/server/release-updates/update-facts.ts).
        .filter((s) => s.kind === "update-review" && s.signer.account !== m.update.createdBy.id)
        .map((s) => ({ signerId: s.signer.account, verdict: s.verdict as "approve" | "reject" })),
      changes: parseMajorChanges(body, sha256Hex),
      acknowledged: on.flatMap((s) =>
        s.kind === "update-major-ack" && s.change ? [s.change.sha256] : [],
      ),
    });
    if (m.update.state !== "DRAFT" && outcome.state !== m.update.state)
      problems.push(
        `the record says ${m.update.state}; its signed reviews make it ${outcome.state}${outcome.waitingFor.length ? ` (waiting for ${outcome.waitingFor.join("; ")})` : ""}`,
      );
    approved = m.update.state === "APPROVED" && outcome.state === "APPROVED";
  } else if (m.update.state !== "DRAFT")
    problems.push(`the record is ${m.update.state} without a signed revision in the bundle`);
  log.expect(
    "review",
    MANIFEST,
    problems,
    `${m.update.state}, as its signed reviews and acknowledgements make it`,
  );
  if (!evidence || !checks) return null;
  const tags = updateTags(
    approved,
    m.update.series.map((series) => ({
      series,
      facts: seriesFactsOf(
        series,
        r,
        evidence,
        checks,
        m.statements.filter((s) => s.kind === "update-verify"),
      ),
    })),
  );
  const same =
    tags.length === m.tags.length && [...tags].sort().every((t, i) => t === [...m.tags].sort()[i]);
  log.expect(
    "tags",
    MANIFEST,
    same
      ? []
      : [
          `the manifest's tags (${m.tags.join(", ") || "none"}) are not the ones the bundle's evidence gives (${tags.join(", ") || "none"})`,
        ],
    tags.join(", ") || "no tags: the record is not approved",
  );
  return tags;
}

function checkAudit(
  log: CheckLog,
  m: TUpdateBundleManifest,
  files: TFiles,
  evidence: TBundleSeriesEvidence | null,
  checks: TBundleHttpsChecks | null,
) {
  const id = m.update.id;
  const { events, problems } = readBundleAudit(m.audit, files, (e) => {
    const p = (e.payload ?? {}) as { updateId?: string };
    return e.subjectId === id || p.updateId === id ? null : "not this update";
  });
  const payloads = events.map((e) => ({
    action: e.action,
    p: (e.payload ?? {}) as Record<string, unknown>,
  }));
  const has = (action: string, match: (p: Record<string, unknown>) => boolean) =>
    payloads.some((e) => e.action === action && match(e.p));
  if (!payloads.some((e) => e.action === "update.created"))
    problems.push("no update.created event");
  for (const r of m.revisions)
    if (
      !has(
        "update.submitted",
        (p) => p.statementId === r.statement && p.bodySha256 === r.bodySha256,
      )
    )
      problems.push(`no update.submitted event records revision ${r.number} with its body-sha256`);
  for (const s of m.statements)
    if (!payloads.some((e) => e.p.statementId === s.id))
      problems.push(`no audit event records ${s.file}`);
  for (const e of evidence ?? [])
    if (!has("update.evidence-recorded", (p) => p.evidenceId === e.id))
      problems.push(
        `no update.evidence-recorded event records ${e.kind} evidence ${e.id} (${e.series})`,
      );
  for (const c of checks ?? []) {
    if (!has("update.https-check-requested", (p) => p.checkId === c.id))
      problems.push(`no update.https-check-requested event records HTTPS check ${c.id}`);
    if (
      c.state === "CHECKED" &&
      !has("update.https-checked", (p) => p.checkId === c.id && p.ok === c.ok)
    )
      problems.push(`no update.https-checked event records HTTPS check ${c.id}'s result`);
  }
  log.expect(
    "audit",
    m.audit.events,
    problems,
    `${events.length} events chain to head ${m.audit.head.seq}`,
  );
}

/** Checks a release update's bundle (its files by path inside its directory) against the reader's trust anchor. */
export async function verifyUpdateBundle(
  files: TFiles,
  opts: { root?: string; anchor: TTrustAnchor },
) {
  const log = new CheckLog();
  const { manifest, sealed } = await openSealedBundle(log, files, opts, {
    schema: ZUpdateBundleManifest,
    what: "a release update bundle manifest",
    describe: (m) =>
      `${m.format}, update #${m.update.number} ${m.update.title} (${m.update.system})`,
    root: (m) => updateBundleRoot(m.update.number),
  });
  let tags: string[] | null = null;
  if (manifest) {
    const m = manifest;
    checkListedFiles(log, m.files, files);
    const bodies = checkRevisions(log, m, files);
    const keys = await checkBundleKeys(log, m.keys, files);
    for (const s of m.statements)
      log.expect(
        "statement",
        s.file,
        await checkStatement(m, files, keys, bodies, s),
        `${s.kind} ${s.verdict}${s.series ? ` ${s.series}` : ""}${s.change ? ` change ${s.change.number}` : ""} of revision ${s.revision} by ${s.signer.email}, good signature`,
      );
    const evidence = readJson(
      log,
      m.seriesEvidence,
      files,
      ZBundleSeriesEvidence,
      "series evidence",
    );
    const checks = readJson(log, m.httpsChecks, files, ZBundleHttpsChecks, "HTTPS checks");
    tags = checkOutcome(log, m, bodies, evidence, checks);
    checkAudit(log, m, files, evidence, checks);
  }
  const problems = log.problems;
  return {
    ok: sealed && problems.length === 0,
    sealed,
    checks: log.checks,
    problems,
    manifest,
    tags,
  };
}
