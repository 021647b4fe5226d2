import { readFile } from "node:fs/promises";
import { Command } from "commander";

// Offline: reads the dossier from disk and checks it with lib/dossier alone. It
// never loads lib/db, so it runs anywhere, without DATABASE_URL or a network.
// Issue #11: trust comes from outside the dossier, the portal's key or its
// fingerprint; without one nothing is proven and the exit code says so.

type TOptions = { portalKey?: string; portalFingerprint?: string };

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

async function verify(dossierPath: string, opts: TOptions): Promise<void> {
  const { readDossier, DossierArchiveError } = await import("../../lib/dossier/archive");
  const { verifyDossier } = await import("../../lib/dossier/verify-dossier");
  const anchor = await anchorOf(opts);
  let bytes: Buffer;
  try {
    bytes = await readFile(dossierPath);
  } catch (e) {
    console.error(
      `error: cannot read ${dossierPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
    process.exitCode = 1;
    return;
  }
  let dossier: Awaited<ReturnType<typeof readDossier>>;
  try {
    dossier = await readDossier(bytes);
  } catch (e) {
    if (!(e instanceof DossierArchiveError)) throw e;
    console.log(`FAIL  archive  ${dossierPath}: ${e.message}`);
    console.error(`dossier NOT verified: ${e.message}`);
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
  for (const c of report.checks)
    console.log(`${c.ok ? "ok  " : "FAIL"}  ${c.check.padEnd(11)} ${c.subject}: ${c.message}`);
  if (report.ok) {
    // A quarantined package's bundle is genuine evidence of the quarantine: it says so.
    if (packageReport?.quarantined)
      console.log(`package QUARANTINED, never offered for use: ${packageReport.quarantined}`);
    // A release update's tags, as recomputed from the bundle alone.
    if (updateReport?.tags)
      console.log(`tags: ${updateReport.tags.join(", ") || "none (the record is not approved)"}`);
    // An emergency's outcome, as the ladder replayed from the bundle's moves gives it.
    if (emergencyReport?.record)
      console.log(
        `emergency #${emergencyReport.record.number}: ${emergencyReport.record.state}, ${emergencyReport.record.moves.length} moves, ${emergencyReport.record.disputes.length} dispute(s)`,
      );
    console.log(`dossier verified: ${report.checks.length} checks passed`);
    return;
  }
  console.error(`dossier NOT verified: ${report.problems.length} problem(s):`);
  for (const p of report.problems) console.error(`  ${p.subject}: ${p.message}`);
  if (!anchor)
    console.error(
      "nothing is proven without a trust anchor: pass --portal-key FILE or --portal-fingerprint FPR",
    );
  process.exitCode = 1;
}

export function verifyCommand(): Command {
  return new Command("verify")
    .description(
      "check a dossier offline against the portal key you trust: the portal's signature, hashes, key owners and roles, signatures, diff hashes, distinct signers, gates, audit chain",
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
    .action(async (dossierPath: string, opts: TOptions) => {
      try {
        await verify(dossierPath, opts);
      } catch (e) {
        console.error(`error: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
}
