import { readFile } from "node:fs/promises";
import { Command } from "commander";

// Offline: reads the dossier from disk and checks it with lib/dossier alone. It
// never loads lib/db, so it runs anywhere, without DATABASE_URL or a network.
// Issue #11: trust comes from outside the dossier, the portal's key or its
// fingerprint; without one nothing is proven and the exit code says so.

type TOptions = {
  portalKey?: string;
  portalFingerprint?: string;
  checkpoint?: string;
  portal?: string;
  json?: boolean;
};

type TCheckLine = { ok: boolean; check: string; subject: string; message: string };

/**
 * What `--json` prints on stdout instead of the lines for people: the verdict,
 * every check, the problems, and what the bundle's kind adds. The exit status
 * is the same either way.
 */
type TJsonReport = {
  verified: boolean;
  file: string;
  format: string | null;
  checks: TCheckLine[];
  problems: { subject: string; message: string }[];
  anchored: boolean;
  quarantined?: string;
  tags?: string[];
  emergency?: { number: number; state: string; moves: number; disputes: number };
  checkpoint?: { file: string; consistent: boolean };
};

/** The lines for people, or nothing on stdout with --json. */
function printer(opts: TOptions) {
  return (line: string) => {
    if (!opts.json) console.log(line);
  };
}

const checkLine = (c: TCheckLine) =>
  `${c.ok ? "ok  " : "FAIL"}  ${c.check.padEnd(11)} ${c.subject}: ${c.message}`;

async function anchorOf(opts: TOptions) {
  if (opts.portalKey && opts.portalFingerprint)
    throw new Error("give --portal-key or --portal-fingerprint, not both");
  if (opts.portalFingerprint) return { portalFingerprint: opts.portalFingerprint };
  if (!opts.portalKey) return null;
  try {
    return { portalKey: await readFile(opts.portalKey, "utf8") };
  } catch (e) {
    throw new Error(
      `cannot read ${opts.portalKey}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** Issue #16: the checkpoint file given with --checkpoint, read before any work. */
async function checkpointText(opts: TOptions): Promise<string | null> {
  if (opts.portal && !opts.checkpoint)
    throw new Error(
      "--portal URL is where the consistency proof for --checkpoint FILE comes from: give --checkpoint too",
    );
  if (!opts.checkpoint) return null;
  try {
    return await readFile(opts.checkpoint, "utf8");
  } catch (e) {
    throw new Error(
      `cannot read ${opts.checkpoint}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/**
 * --checkpoint FILE: a second trust anchor beside the portal key. Runs on a
 * bundle that verified; prints its checks like the others; false on a problem.
 */
async function compareCheckpoint(
  files: ReadonlyMap<string, Uint8Array>,
  opts: TOptions,
  text: string,
): Promise<{ ok: boolean; checks: TCheckLine[]; problems: TJsonReport["problems"] }> {
  const { CheckLog } = await import("../../lib/dossier/check-log");
  const { checkExternalCheckpoint } = await import("../../lib/dossier/external-checkpoint");
  const { ZBundleLog } = await import("../../lib/dossier/log-manifest");
  const { jsonOf } = await import("../../lib/dossier/bundle-checks");
  const { logClient } = await import("../client/log-client");
  const manifest = jsonOf(files.get("manifest.json")) as { log?: unknown } | undefined;
  const entry = ZBundleLog.safeParse(manifest?.log);
  const log = new CheckLog();
  const client = opts.portal ? logClient(opts.portal) : null;
  const ok = await checkExternalCheckpoint(log, {
    files,
    entry: entry.success ? entry.data : undefined,
    name: opts.checkpoint!,
    text,
    portal: client
      ? { name: client.base, consistency: (from, to) => client.consistency(from, to) }
      : undefined,
  });
  const line = printer(opts);
  for (const c of log.checks) line(checkLine(c));
  if (!ok) {
    console.error(
      `checkpoint NOT consistent with the bundle's: ${log.problems.length} problem(s):`,
    );
    for (const p of log.problems) console.error(`  ${p.subject}: ${p.message}`);
  }
  return {
    ok,
    checks: [...log.checks],
    problems: log.problems.map(({ subject, message }) => ({ subject, message })),
  };
}

async function verify(dossierPath: string, opts: TOptions): Promise<void> {
  const line = printer(opts);
  const json = (r: Omit<TJsonReport, "file">) => {
    if (opts.json) console.log(JSON.stringify({ file: dossierPath, ...r }, null, 2));
  };
  const { readDossier, DossierArchiveError } = await import("../../lib/dossier/archive");
  const { verifyDossier } = await import("../../lib/dossier/verify-dossier");
  const anchor = await anchorOf(opts);
  const external = await checkpointText(opts);
  let bytes: Buffer;
  try {
    bytes = await readFile(dossierPath);
  } catch (e) {
    throw new Error(
      `cannot read ${dossierPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let dossier: Awaited<ReturnType<typeof readDossier>>;
  try {
    dossier = await readDossier(bytes);
  } catch (e) {
    if (!(e instanceof DossierArchiveError)) throw e;
    line(`FAIL  archive  ${dossierPath}: ${e.message}`);
    console.error(`dossier NOT verified: ${e.message}`);
    json({
      verified: false,
      format: null,
      checks: [{ ok: false, check: "archive", subject: dossierPath, message: e.message }],
      problems: [{ subject: dossierPath, message: e.message }],
      anchored: anchor !== null,
    });
    process.exitCode = 1;
    return;
  }
  // One command for every kind of bundle: the manifest's format says which this is.
  const { HOTFIX_BUNDLE_FORMAT } = await import("../../lib/dossier/hotfix-bundle");
  const manifest = new TextDecoder().decode(dossier.files.get("manifest.json") ?? new Uint8Array());
  const { PACKAGE_BUNDLE_FORMAT } = await import("../../lib/dossier/package-bundle");
  const packageReport = manifest.includes(`"format": "${PACKAGE_BUNDLE_FORMAT}"`)
    ? await (
        await import("../../lib/dossier/verify-package-bundle")
      ).verifyPackageBundle(dossier.files, { root: dossier.root, anchor })
    : null;
  const { UPDATE_BUNDLE_FORMAT } = await import("../../lib/dossier/update-bundle");
  const updateReport = manifest.includes(`"format": "${UPDATE_BUNDLE_FORMAT}"`)
    ? await (
        await import("../../lib/dossier/verify-update-bundle")
      ).verifyUpdateBundle(dossier.files, { root: dossier.root, anchor })
    : null;
  const { EMERGENCY_BUNDLE_FORMAT } = await import("../../lib/dossier/emergency-bundle");
  const emergencyReport = manifest.includes(`"format": "${EMERGENCY_BUNDLE_FORMAT}"`)
    ? await (
        await import("../../lib/dossier/verify-emergency-bundle")
      ).verifyEmergencyBundle(dossier.files, { root: dossier.root, anchor })
    : null;
  const report =
    packageReport ??
    updateReport ??
    emergencyReport ??
    (manifest.includes(`"format": "${HOTFIX_BUNDLE_FORMAT}"`)
      ? await (
          await import("../../lib/dossier/verify-hotfix-bundle")
        ).verifyHotfixBundle(dossier.files, { root: dossier.root, anchor })
      : await verifyDossier(dossier.files, { root: dossier.root, anchor }));
  for (const c of report.checks) line(checkLine(c));
  const format = (() => {
    try {
      const f = (JSON.parse(manifest) as { format?: unknown }).format;
      return typeof f === "string" ? f : null;
    } catch {
      return null;
    }
  })();
  const result: Omit<TJsonReport, "file"> = {
    verified: report.ok,
    format,
    checks: report.checks.map(({ ok, check, subject, message }) => ({
      ok,
      check,
      subject,
      message,
    })),
    problems: report.problems.map(({ subject, message }) => ({ subject, message })),
    anchored: anchor !== null,
  };
  if (report.ok) {
    // A quarantined package's bundle is genuine evidence of the quarantine: it says so.
    if (packageReport?.quarantined) {
      line(`package QUARANTINED, never offered for use: ${packageReport.quarantined}`);
      result.quarantined = packageReport.quarantined;
    }
    // A release update's tags, as recomputed from the bundle alone.
    if (updateReport?.tags) {
      line(`tags: ${updateReport.tags.join(", ") || "none (the record is not approved)"}`);
      result.tags = updateReport.tags;
    }
    // An emergency's outcome, as the ladder replayed from the bundle's moves gives it.
    if (emergencyReport?.record) {
      const r = emergencyReport.record;
      line(
        `emergency #${r.number}: ${r.state}, ${r.moves.length} moves, ${r.disputes.length} dispute(s)`,
      );
      result.emergency = {
        number: r.number,
        state: r.state,
        moves: r.moves.length,
        disputes: r.disputes.length,
      };
    }
    if (external !== null) {
      const compared = await compareCheckpoint(dossier.files, opts, external);
      result.checkpoint = { file: opts.checkpoint!, consistent: compared.ok };
      result.checks.push(...compared.checks);
      result.problems.push(...compared.problems);
      if (!compared.ok) {
        json({ ...result, verified: false });
        process.exitCode = 1;
        return;
      }
    }
    line(`dossier verified: ${report.checks.length} checks passed`);
    json(result);
    return;
  }
  console.error(`dossier NOT verified: ${report.problems.length} problem(s):`);
  for (const p of report.problems) console.error(`  ${p.subject}: ${p.message}`);
  if (!anchor)
    console.error(
      "nothing is proven without a trust anchor: pass --portal-key FILE or --portal-fingerprint FPR",
    );
  if (external !== null)
    console.error(`${opts.checkpoint} was not compared: the bundle itself did not verify`);
  json(result);
  process.exitCode = 1;
}

export function verifyCommand(): Command {
  return new Command("verify")
    .description(
      "check a dossier offline against the portal key you trust: the portal's signature, hashes, key owners and roles, signatures, diff hashes, distinct signers, gates, audit chain, the audit events' inclusion proofs in the transparency log; with --checkpoint, also that the bundle's log checkpoint is consistent with one you obtained elsewhere",
    )
    .argument(
      "<dossier>",
      "the .tar.gz from GET /api/v1/patches/:id/evidence, /api/v1/hotfixes/:name/evidence, /api/v1/packages/:id/evidence, /api/v1/updates/:id/evidence or /api/v1/emergencies/:number/evidence",
    )
    .option(
      "--portal-key <file>",
      "the portal's armored public key, fetched from the portal (GET /api/portal-key), not from the dossier",
    )
    .option(
      "--portal-fingerprint <fpr>",
      "the portal key's fingerprint; the key in the dossier is used only if it has this fingerprint",
    )
    .option(
      "--checkpoint <file>",
      "a signed log checkpoint obtained elsewhere (the note itself, or the mail from the list archive that carries it): checked with the bundle's log/note-key and for consistency with the bundle's checkpoint",
    )
    .option(
      "--portal <url>",
      "with --checkpoint: the portal to fetch the consistency proof from (GET /api/v1/log/proof/consistency); without it, the proof must be in the bundle (log/consistency.json)",
    )
    .option(
      "--json",
      "print one JSON object on stdout (verified, format, checks, problems, ...) instead of the lines; the exit status is the same",
    )
    .action(async (dossierPath: string, opts: TOptions) => {
      try {
        await verify(dossierPath, opts);
      } catch (e) {
        const message = (e as Error).message;
        console.error(`error: ${message}`);
        if (opts.json)
          console.log(JSON.stringify({ error: { code: "FAILED", message, exit: 1 } }, null, 2));
        process.exitCode = 1;
      }
    });
}
