import { readFile } from "node:fs/promises";
import { Command } from "commander";

// Offline: reads the dossier from disk and checks it with lib/dossier alone. It
// never loads lib/db, so it runs anywhere, without DATABASE_URL or a network.

async function verify(dossierPath: string): Promise<void> {
  const { readDossier, DossierArchiveError } = await import("../../lib/dossier/archive");
  const { verifyDossier } = await import("../../lib/dossier/verify-dossier");
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
  const report = await verifyDossier(dossier.files, { root: dossier.root });
  for (const c of report.checks)
    console.log(`${c.ok ? "ok  " : "FAIL"}  ${c.check.padEnd(11)} ${c.subject}: ${c.message}`);
  if (report.ok) {
    console.log(`dossier verified: ${report.checks.length} checks passed`);
    return;
  }
  console.error(`dossier NOT verified: ${report.problems.length} problem(s):`);
  for (const p of report.problems) console.error(`  ${p.subject}: ${p.message}`);
  process.exitCode = 1;
}

export function verifyCommand(): Command {
  return new Command("verify")
    .description(
      "check a dossier offline: hashes, signatures, diff hashes, distinct signers, gates, audit chain",
    )
    .argument("<dossier>", "the .tar.gz from GET /api/v1/patches/:id/evidence")
    .action(async (dossierPath: string) => {
      try {
        await verify(dossierPath);
      } catch (e) {
        console.error(`error: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
}
