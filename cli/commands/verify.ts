import { readFile } from "node:fs/promises";
import { Command } from "commander";

// Offline: reads the bundle from disk and checks it with lib/evidence alone. It
// never loads lib/db, so it runs anywhere, without DATABASE_URL or a network.

async function verify(bundlePath: string): Promise<void> {
  const { readBundle, BundleArchiveError } = await import("../../lib/evidence/archive");
  const { verifyBundle } = await import("../../lib/evidence/verify-bundle");
  let bytes: Buffer;
  try {
    bytes = await readFile(bundlePath);
  } catch (e) {
    console.error(
      `error: cannot read ${bundlePath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
    process.exitCode = 1;
    return;
  }
  let bundle: Awaited<ReturnType<typeof readBundle>>;
  try {
    bundle = await readBundle(bytes);
  } catch (e) {
    if (!(e instanceof BundleArchiveError)) throw e;
    console.log(`FAIL  archive  ${bundlePath}: ${e.message}`);
    console.error(`bundle NOT verified: ${e.message}`);
    process.exitCode = 1;
    return;
  }
  const report = await verifyBundle(bundle.files, { root: bundle.root });
  for (const c of report.checks)
    console.log(`${c.ok ? "ok  " : "FAIL"}  ${c.check.padEnd(11)} ${c.subject}: ${c.message}`);
  if (report.ok) {
    console.log(`bundle verified: ${report.checks.length} checks passed`);
    return;
  }
  console.error(`bundle NOT verified: ${report.problems.length} problem(s):`);
  for (const p of report.problems) console.error(`  ${p.subject}: ${p.message}`);
  process.exitCode = 1;
}

export function verifyCommand(): Command {
  return new Command("verify")
    .description(
      "check an evidence bundle offline: hashes, signatures, diff hashes, distinct signers, gates, audit chain",
    )
    .argument("<bundle>", "the .tar.gz from GET /api/v1/patches/:id/evidence")
    .action(async (bundlePath: string) => {
      try {
        await verify(bundlePath);
      } catch (e) {
        console.error(`error: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
}
