import "server-only";
import { z } from "zod";
import { cleanId, cleanLine, cleanText } from "../../domain/input-hygiene";
import { db } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { mayApply, type TStagingDecision } from "../../domain/hotfix-staging";
import { appendAuditEvent } from "../audit/append-event";
import {
  latestApplications,
  loadHotfix,
  lockHotfix,
  presentHotfix,
  stagingOf,
  type THotfixRow,
} from "./hotfix-facts";

// H3, H4, H6: applying a hotfix to a server and taking it off again. The CLI on
// the server asks first (serverStatus), does the work on disk, then reports;
// each report is checked again here, under the hotfix's row lock.

const ZSlug = cleanId(63);
const ZSha = z.string().regex(/^[0-9a-f]{64}$/);
const ZRestart = {
  restartCommand: cleanLine().trim().min(1, "The restart command is part of the record.").max(1000),
  restartExit: z.number().int().min(-1).max(255).nullable().default(null),
  // A command's own output, not typed input: kept as printed, but PostgreSQL text holds no NUL.
  restartOutput: z
    .string()
    .max(64 * 1024)
    .transform((s) => s.replaceAll("\0", "\uFFFD"))
    .default(""),
};

async function loadServer(slug: string) {
  const server = await db.server.findUnique({ where: { slug } });
  if (!server) throw new AppError("NOT_FOUND", `No server with the slug ${slug}.`);
  return server;
}

function decide(
  hotfix: THotfixRow,
  server: Awaited<ReturnType<typeof loadServer>>,
): TStagingDecision {
  const { hotfix: h, applications } = stagingOf(hotfix);
  return mayApply(h, server, applications);
}

function mayUnapply(
  hotfix: THotfixRow,
  slug: string,
): { ok: true } | { ok: false; reason: string } {
  const a = latestApplications(hotfix).find((x) => x.server.slug === slug);
  if (a && (a.state === "APPLIED" || a.state === "VERIFIED")) return { ok: true };
  return { ok: false, reason: `${hotfix.name} is not applied to ${slug}.` };
}

/** What the CLI asks before touching a server: may this hotfix go on (or come off) it now, and why not. */
export async function serverStatus({
  actor,
  name,
  server: slug,
}: {
  actor: TActor;
  name: string;
  server: string;
}) {
  authorize(actor, "hotfix:read");
  const [hotfix, server] = await Promise.all([loadHotfix(db, name), loadServer(ZSlug.parse(slug))]);
  const current = latestApplications(hotfix).find((a) => a.serverId === server.id);
  const apply = decide(hotfix, server);
  return {
    hotfix: presentHotfix(hotfix),
    server: {
      slug: server.slug,
      role: server.role.toLowerCase(),
      product: server.product,
      version: server.version,
    },
    state: current?.state ?? null,
    mayApply: apply.ok
      ? { ok: true, first: apply.first }
      : { ok: false, code: apply.code, reason: apply.reason },
    mayUnapply: mayUnapply(hotfix, server.slug),
  };
}

export const ZReportApplication = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("APPLIED"),
    ...ZRestart,
    /** path -> SHA-256 on disk after the apply. */
    files: z.record(cleanLine().max(1024), ZSha),
  }),
  z.object({
    outcome: z.literal("FAILED"),
    error: cleanText().trim().min(1).max(4000),
    restartCommand: ZRestart.restartCommand,
    restartExit: ZRestart.restartExit,
    restartOutput: ZRestart.restartOutput,
  }),
]);

/** Records an application (or a failed attempt) reported by the CLI. */
export async function reportApplication({
  actor,
  name,
  server: slug,
  ...input
}: { actor: TActor; name: string; server: string } & z.input<typeof ZReportApplication>) {
  authorize(actor, "hotfix:manage");
  const person = requirePerson(actor);
  const report = ZReportApplication.parse(input);
  const server = await loadServer(ZSlug.parse(slug));
  return db.$transaction(async (tx) => {
    const hotfix = await lockHotfix(tx, name);
    const decision = decide(hotfix, server);
    if (!decision.ok) throw new AppError("CONFLICT", decision.reason, { code: decision.code });
    if (report.outcome === "APPLIED") {
      const expected = Object.fromEntries(
        (hotfix.files as { path: string; sha256After: string }[]).map((f) => [
          f.path,
          f.sha256After,
        ]),
      );
      const wrong = Object.entries(expected).filter(([p, sha]) => report.files[p] !== sha);
      if (wrong.length)
        throw new AppError(
          "VALIDATION",
          `The reported files do not match the hotfix: ${wrong.map(([p]) => p).join(", ")}.`,
        );
    }
    await tx.hotfixApplication.create({
      data: {
        hotfixId: hotfix.id,
        serverId: server.id,
        state: report.outcome,
        appliedById: person.id,
        restartCommand: report.restartCommand,
        restartExit: report.restartExit,
        restartOutput: report.restartOutput,
        filesAfter: report.outcome === "APPLIED" ? report.files : {},
        error: report.outcome === "FAILED" ? report.error : null,
      },
    });
    if (report.outcome === "APPLIED")
      await appendAuditEvent(tx, {
        actor,
        action: "hotfix.applied",
        subjectType: "hotfix",
        subjectId: hotfix.id,
        payload: {
          name,
          server: server.slug,
          restartCommand: report.restartCommand,
          restartExit: report.restartExit,
        },
      });
    else
      await appendAuditEvent(tx, {
        actor,
        action: "hotfix.apply-failed",
        subjectType: "hotfix",
        subjectId: hotfix.id,
        payload: { name, server: server.slug, error: report.error },
      });
    return presentHotfix(await loadHotfix(tx, name));
  });
}

export const ZReportUnapply = z.object({
  ...ZRestart,
  restartCommand: ZRestart.restartCommand.optional(),
});

/** Records that the CLI restored a server's original files. */
export async function reportUnapply({
  actor,
  name,
  server: slug,
  ...input
}: { actor: TActor; name: string; server: string } & z.input<typeof ZReportUnapply>) {
  authorize(actor, "hotfix:manage");
  const person = requirePerson(actor);
  const report = ZReportUnapply.parse(input);
  const server = await loadServer(ZSlug.parse(slug));
  return db.$transaction(async (tx) => {
    const hotfix = await lockHotfix(tx, name);
    const may = mayUnapply(hotfix, server.slug);
    if (!may.ok) throw new AppError("CONFLICT", may.reason);
    const current = latestApplications(hotfix).find((a) => a.serverId === server.id)!;
    const { count } = await tx.hotfixApplication.updateMany({
      where: { id: current.id, state: { in: ["APPLIED", "VERIFIED"] } },
      data: {
        state: "UNAPPLIED",
        unappliedById: person.id,
        unappliedAt: new Date(),
        unapplyRestartExit: report.restartExit,
        unapplyRestartOutput: report.restartOutput,
      },
    });
    if (count === 0)
      throw new AppError("CONFLICT", `${name} was unapplied from ${server.slug} meanwhile.`);
    await appendAuditEvent(tx, {
      actor,
      action: "hotfix.unapplied",
      subjectType: "hotfix",
      subjectId: hotfix.id,
      payload: {
        name,
        server: server.slug,
        restartCommand: report.restartCommand ?? "",
        restartExit: report.restartExit,
      },
    });
    return presentHotfix(await loadHotfix(tx, name));
  });
}
