import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { cleanId } from "../../domain/input-hygiene";
import { findTodos, parseMajorChanges, parseSections } from "../../domain/update-template";
import { reviewOutcome, type TReviewOutcome } from "../../domain/update-review";
import {
  checkStates,
  seriesVerdict,
  updateTags,
  type TCheckState,
  type TSeriesFacts,
} from "../../domain/update-tags";

// The release-update record as the use-cases, the API and the pages read it
// (S1–S3, docs/release-updates.md "Records").

export const UPDATE_STATES = ["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"] as const;
export type TUpdateState = (typeof UPDATE_STATES)[number];

const person = { select: { id: true, name: true, email: true } } as const;

const include = {
  system: true,
  template: { select: { id: true, slug: true, name: true } },
  createdBy: person,
  revisions: { include: { submittedBy: person }, orderBy: { number: "asc" } },
  signoffs: {
    include: { signer: person, statement: { select: { fingerprint: true } } },
    orderBy: { createdAt: "asc" },
  },
  evidence: { orderBy: { createdAt: "asc" } },
  httpsChecks: { orderBy: { createdAt: "asc" } },
} as const;

async function findUpdate(client: Tx | typeof db, id: string) {
  return client.updateRecord.findUnique({ where: { id }, include });
}

export type TUpdateRow = NonNullable<Awaited<ReturnType<typeof findUpdate>>>;

/** The record with everything its page and its rules read; NOT_FOUND when there is none. */
export async function loadUpdate(id: string, client: Tx | typeof db = db): Promise<TUpdateRow> {
  const row = await findUpdate(client, id);
  if (!row) throw new AppError("NOT_FOUND", "No such release update.");
  return row;
}

/** Locks the record's row for the rest of the transaction (signed acts take turns), then loads it. */
export async function lockUpdate(tx: Tx, id: string): Promise<TUpdateRow> {
  await tx.$executeRaw`SELECT 1 FROM "UpdateRecord" WHERE "id" = ${id} FOR UPDATE`;
  return loadUpdate(id, tx);
}

/** The current (latest signed) revision, or null before the first submission. */
export function currentRevision(u: TUpdateRow) {
  return u.revisions.find((r) => r.number === u.revision) ?? null;
}

/**
 * Whether the record's revision is live: submitted and not voided by an edit.
 * A DRAFT's sign-offs and evidence (of a voided revision, if any) count for nothing.
 */
export function isLive(u: TUpdateRow): boolean {
  return u.state !== "DRAFT" && u.revision > 0;
}

/** The live revision's sign-offs of a kind (earlier and voided revisions' do not count). */
export function currentSignoffs(u: TUpdateRow, kind: "REVIEW" | "MAJOR_ACK" | "VERIFY") {
  return isLive(u) ? u.signoffs.filter((s) => s.kind === kind && s.revision === u.revision) : [];
}

/**
 * The Major Changes of the live revision's text (what reviewers sign for); of a
 * draft, those of the text being written.
 */
export function currentChanges(u: TUpdateRow) {
  const rev = currentRevision(u);
  return parseMajorChanges(isLive(u) && rev ? rev.body : u.body, sha256Hex);
}

/** The review outcome of the current revision; null while the record is a draft. */
export function outcomeOf(u: TUpdateRow): TReviewOutcome | null {
  const rev = currentRevision(u);
  if (u.state === "DRAFT" || !rev) return null;
  return reviewOutcome({
    reviewsRequired: u.system.reviewsRequired,
    submitterId: rev.submittedById,
    reviews: currentSignoffs(u, "REVIEW")
      .filter((s) => s.signerId !== u.createdById)
      .map((s) => ({ signerId: s.signerId, verdict: s.verdict as "approve" | "reject" })),
    changes: currentChanges(u),
    acknowledged: currentSignoffs(u, "MAJOR_ACK").map((s) => s.changeSha256 ?? ""),
  });
}

const latest = <T extends { createdAt: Date }>(rows: T[]): T | null =>
  rows.reduce<T | null>((a, r) => (!a || r.createdAt >= a.createdAt ? r : a), null);

/** The latest evidence rows of one series on the live revision (each check's own row, or null). */
export function seriesRows(u: TUpdateRow, series: string) {
  const live = isLive(u);
  const ev = (kind: "ACME" | "SMOKE") =>
    latest(
      u.evidence.filter(
        (e) => live && e.revision === u.revision && e.series === series && e.kind === kind,
      ),
    );
  const https = (server: "apache" | "nginx") =>
    latest(
      u.httpsChecks.filter(
        (c) => live && c.revision === u.revision && c.series === series && c.server === server,
      ),
    );
  const verify = latest(currentSignoffs(u, "VERIFY").filter((s) => s.series === series));
  return {
    acme: ev("ACME"),
    smoke: ev("SMOKE"),
    apache: https("apache"),
    nginx: https("nginx"),
    verify,
  };
}

const evidenceState = (row: { ok: boolean } | null): TCheckState | undefined =>
  row ? (row.ok ? "ok" : "failed") : undefined;
const checkState = (
  row: { state: "PENDING" | "CHECKED"; ok: boolean | null } | null,
): TCheckState | undefined =>
  !row ? undefined : row.state === "PENDING" ? "pending" : row.ok ? "ok" : "failed";

/** Per series of the current revision: the state of each check and the latest signed verification. */
export function seriesFacts(u: TUpdateRow): { series: string; facts: TSeriesFacts }[] {
  return u.series.map((series) => {
    const r = seriesRows(u, series);
    const checks: TSeriesFacts["checks"] = {};
    const set = (k: keyof TSeriesFacts["checks"], s: TCheckState | undefined) => {
      if (s && s !== "missing") checks[k] = s;
    };
    set("acme", evidenceState(r.acme));
    set("smoke", evidenceState(r.smoke));
    set("apache", checkState(r.apache));
    set("nginx", checkState(r.nginx));
    const facts: TSeriesFacts = { checks };
    if (r.verify) facts.verify = { verdict: r.verify.verdict as "pass" | "fail" };
    return { series, facts };
  });
}

type THttpsRow = TUpdateRow["httpsChecks"][number];
type TEvidenceRow = TUpdateRow["evidence"][number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const who = (p: { id: string; name: string }) => ({ id: p.id, name: p.name });

/** An evidence row (ACME, SMOKE) as the API and the signed update-verify evidence show it. */
export function evidenceFacts(row: TEvidenceRow) {
  return { id: row.id, ok: row.ok, facts: row.facts, reason: row.reason };
}

/** An HTTPS check as the API and the signed update-verify evidence show it. */
export function httpsFacts(row: THttpsRow) {
  return {
    id: row.id,
    state: row.state,
    url: row.url,
    host: row.host,
    port: row.port,
    subject: row.subject,
    sans: row.sans,
    issuer: row.issuer,
    notBefore: iso(row.notBefore),
    notAfter: iso(row.notAfter),
    sha256: row.sha256,
    hostValid: row.hostValid,
    chainValid: row.chainValid,
    ok: row.ok,
    reason: row.reason,
    checkedAt: iso(row.checkedAt),
  };
}

/** GET /api/v1/updates/:id: the record, its sections and TODOs, reviews, verification and tags. */
export function presentUpdate(u: TUpdateRow) {
  const todos = findTodos(u.body);
  const changes = currentChanges(u);
  const acks = currentSignoffs(u, "MAJOR_ACK");
  const outcome = outcomeOf(u);
  const facts = seriesFacts(u);
  const sections = parseSections(u.body);
  return {
    id: u.id,
    number: u.number,
    title: u.title,
    state: u.state as TUpdateState,
    revision: u.revision,
    system: { slug: u.system.slug, name: u.system.name },
    template: { slug: u.template.slug, name: u.template.name },
    packages: u.packages,
    version: u.version,
    series: u.series,
    bugId: u.bugId,
    body: u.body,
    sections: sections.map((s, i) => {
      const end = i + 1 < sections.length ? sections[i + 1].line : Infinity;
      return {
        title: s.title,
        line: s.line,
        text: s.text,
        todos: todos
          .filter((t) => t.line >= s.line && t.line < end)
          .map((t) => ({ line: t.line, text: t.text })),
      };
    }),
    todos,
    majorChanges: changes.map((c) => {
      const ack = acks.find((a) => a.changeSha256 === c.sha256);
      return {
        number: c.number,
        text: c.text,
        incompatible: c.incompatible,
        sha256: c.sha256,
        acknowledged: ack
          ? { by: who(ack.signer), at: ack.createdAt.toISOString(), statementId: ack.statementId }
          : null,
      };
    }),
    reviews: u.signoffs
      .filter((s) => s.kind === "REVIEW")
      .map((s) => ({
        id: s.id,
        revision: s.revision,
        verdict: s.verdict,
        signer: who(s.signer),
        fingerprint: s.statement.fingerprint,
        at: s.createdAt.toISOString(),
        comment: s.comment,
      })),
    outcome,
    verification: facts.map(({ series, facts: f }) => {
      const r = seriesRows(u, series);
      const states = checkStates(f);
      const verdict = seriesVerdict(f);
      return {
        series,
        verdict,
        tag: u.state === "APPROVED" ? `verification-${verdict}-${series}` : null,
        checks: {
          acme: { state: states.acme, evidence: r.acme ? evidenceFacts(r.acme) : null },
          apache: { state: states.apache, check: r.apache ? httpsFacts(r.apache) : null },
          nginx: { state: states.nginx, check: r.nginx ? httpsFacts(r.nginx) : null },
          smoke: { state: states.smoke, evidence: r.smoke ? evidenceFacts(r.smoke) : null },
        },
        verifiedBy: r.verify
          ? {
              signer: who(r.verify.signer),
              verdict: r.verify.verdict,
              at: r.verify.createdAt.toISOString(),
              comment: r.verify.comment,
              statementId: r.verify.statementId,
            }
          : null,
      };
    }),
    tags: updateTags(u.state === "APPROVED", facts),
    revisions: u.revisions.map((r) => ({
      number: r.number,
      bodySha256: r.bodySha256,
      submittedBy: who(r.submittedBy),
      at: r.createdAt.toISOString(),
      statementId: r.statementId,
    })),
    createdBy: who(u.createdBy),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

export type TPresentedUpdate = ReturnType<typeof presentUpdate>;

/** GET /api/v1/updates/:id for a reader (update:read). */
export async function getUpdate({ actor, id }: { actor: TActor; id: string }) {
  authorize(actor, "update:read");
  return presentUpdate(await loadUpdate(cleanId().parse(id)));
}

/** GET /api/v1/updates's query string. */
export const ZListUpdates = z.object({ state: z.enum(UPDATE_STATES).optional() });

/** The records, newest first, with their tags (GET /api/v1/updates, the list page). */
export async function listUpdates({
  actor,
  ...input
}: { actor: TActor } & (z.input<typeof ZListUpdates> | Record<string, unknown>)) {
  authorize(actor, "update:read");
  const { state } = ZListUpdates.parse(input);
  const rows = await db.updateRecord.findMany({
    where: state ? { state } : {},
    include,
    orderBy: { number: "desc" },
  });
  return rows.map((u) => {
    const facts = seriesFacts(u);
    return {
      id: u.id,
      number: u.number,
      title: u.title,
      state: u.state as TUpdateState,
      revision: u.revision,
      system: { slug: u.system.slug, name: u.system.name },
      packages: u.packages,
      version: u.version,
      series: u.series,
      bugId: u.bugId,
      todos: findTodos(u.body).length,
      tags: updateTags(u.state === "APPROVED", facts),
      createdBy: who(u.createdBy),
      createdAt: u.createdAt.toISOString(),
      updatedAt: u.updatedAt.toISOString(),
    };
  });
}
