// `patchgate verify` of a patch dossier holding 1,000 signed statements vs a loop of stock
// `gpg --verify` over the same statement files, keys imported first. Alone:
//   npm run bench -- verify
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createBenchDatabase, pointAtDatabase } from "./lib/database";
import { isMain, onCleanup, runMain } from "./lib/cleanup";
import { ROOT } from "./lib/paths";
import { atConcurrency, rate, sizeFromEnv } from "./lib/stats";
import { note, report } from "./lib/report";

const BENCH = "verify";
const STATEMENTS = sizeFromEnv("BENCH_STATEMENTS", 1000);
// One person signs once per revision: the statements are spread over revisions.
const REVISIONS = sizeFromEnv("BENCH_REVISIONS", 10);

export async function main() {
  const perRevision = Math.ceil(STATEMENTS / REVISIONS);
  // Each revision: the developer's submission and one review per assessor.
  const assessorCount = perRevision - 1;
  const { url } = await createBenchDatabase("verify");
  pointAtDatabase(url);
  const { db } = await import("../lib/db");
  const { CLI_BOOTSTRAP } = await import("../lib/auth/actor");
  const { addSystem } = await import("../lib/server/systems/add-system");
  const { submitPatch } = await import("../lib/server/patches/submit-patch");
  const { addRevision } = await import("../lib/server/patches/add-revision");
  const { buildDossier } = await import("../lib/server/dossier/build-dossier");
  const { portalPublicKey } = await import("../lib/server/portal-key/portal-key");
  const { readDossier } = await import("../lib/dossier/archive");
  const { integrateLog } = await import("../lib/server/log/integrate");
  const { makeSigner, signoff } = await import("../test/signers");
  const { sampleDiff } = await import("../test/diffs");

  // A real patch with real sign-offs, exported by the real dossier export.
  let t = performance.now();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb", reviewsRequired: 20 });
  const dev = await makeSigner(["DEVELOPER"]);
  const assessors = [];
  for (let i = 0; i < assessorCount; i++) assessors.push(await makeSigner(["ASSESSOR"]));
  const patch = await submitPatch({
    actor: dev,
    system: "webdb",
    title: "Bench dossier",
    summary: "A patch signed many times over, for the verification benchmark.",
    bugId: "1",
    bugSummary: "bench",
    diff: sampleDiff("r1"),
  });
  note(
    BENCH,
    `${assessors.length + 1} people with keys in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  let signed = 0;
  for (let r = 1; r <= REVISIONS && signed < STATEMENTS; r++) {
    if (r > 1) await addRevision({ actor: dev, patchId: patch.id, diff: sampleDiff(`r${r}`) });
    await signoff(dev, patch.id, "submit");
    signed++;
    // Untimed seeding: several at once, so signing and verifying overlap the patch's transactions.
    const voters = assessors.slice(0, Math.min(assessors.length, STATEMENTS - signed));
    await atConcurrency(voters, 8, (a) => signoff(a, patch.id, "review", "approve"));
    signed += voters.length;
  }
  // In production the worker integrates the log once a second, so an export finds a checkpoint
  // covering its events; without a worker here, integrate first, as the worker would have.
  await integrateLog();
  // The export is setup here, not what is measured; when it fails (its snapshot transaction
  // has 5 s), say so and try again, so the failure shows without hiding the verification.
  let dossier: Awaited<ReturnType<typeof buildDossier>> | null = null;
  for (let attempt = 1; !dossier; attempt++) {
    const started = performance.now();
    try {
      dossier = await buildDossier({ actor: dev, patchId: patch.id });
      note(
        BENCH,
        `export took ${((performance.now() - started) / 1000).toFixed(1)} s (attempt ${attempt})`,
      );
    } catch (e) {
      note(
        BENCH,
        `EXPORT FAILED after ${((performance.now() - started) / 1000).toFixed(1)} s (attempt ${attempt}): ${(e as Error).message.split("\n").slice(-1)[0]}`,
      );
      if (attempt === 3) throw e;
    }
  }
  const portalKey = (await portalPublicKey()).publicArmored;
  note(
    BENCH,
    `seeded ${signed} signed statements and exported a ${(dossier.bytes.length / 1024).toFixed(0)} KiB dossier in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  await db.$disconnect();

  const dir = mkdtempSync(path.join(os.tmpdir(), "patchgate-bench-verify-"));
  onCleanup(`folder ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const bundle = path.join(dir, dossier.fileName);
  writeFileSync(bundle, dossier.bytes);
  writeFileSync(path.join(dir, "portal-key.asc"), portalKey);

  // patchgate verify as a reader runs it: the CLI, offline (no DATABASE_URL), against the portal key.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  t = performance.now();
  const cli = spawnSync(
    process.execPath,
    [
      path.join(ROOT, "bin", "patchgate.mjs"),
      "verify",
      bundle,
      "--portal-key",
      path.join(dir, "portal-key.asc"),
    ],
    { cwd: dir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const cliSeconds = (performance.now() - t) / 1000;
  if (cli.status !== 0 || !cli.stdout.includes("dossier verified"))
    throw new Error(
      `patchgate verify failed (${cli.status}):\n${cli.stderr}\n${cli.stdout.slice(-2000)}`,
    );
  // The CLI's fixed cost, for the reader of the figure: node + tsx + imports, no bundle.
  t = performance.now();
  execFileSync(process.execPath, [path.join(ROOT, "bin", "patchgate.mjs"), "--help"], {
    cwd: dir,
    env,
    stdio: "ignore",
  });
  const startup = (performance.now() - t) / 1000;

  // The floor: the same statement files, out of the same bundle, checked by stock gpg one by one.
  const { files } = await readDossier(dossier.bytes);
  const statements = [...files.keys()].filter((f) => f.endsWith(".txt") && files.has(`${f}.asc`));
  if (statements.length !== signed)
    throw new Error(`the dossier holds ${statements.length} statements, expected ${signed}`);
  const out = path.join(dir, "files");
  for (const [name, bytes] of files) {
    mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
    writeFileSync(path.join(out, name), bytes);
  }
  const home = path.join(dir, "gnupg");
  mkdirSync(home, { mode: 0o700 });
  const gpg = (args: string[]) =>
    spawnSync("gpg", ["--homedir", home, "--batch", "--quiet", ...args], { encoding: "utf8" });
  const keys = [...files.keys()].filter((f) => f.startsWith("keys/")).map((f) => path.join(out, f));
  const imported = gpg(["--import", ...keys]);
  if (imported.status !== 0) throw new Error(`gpg --import: ${imported.stderr}`);
  t = performance.now();
  for (const s of statements) {
    const r = gpg(["--verify", path.join(out, `${s}.asc`), path.join(out, s)]);
    if (r.status !== 0) throw new Error(`gpg --verify ${s}: ${r.stderr}`);
  }
  const gpgSeconds = (performance.now() - t) / 1000;

  report({
    bench: BENCH,
    operation: `patchgate verify of a dossier with ${signed} signed statements (one CLI run)`,
    measured: `${cliSeconds.toFixed(2)} s = ${rate(signed / cliSeconds)} statements (of which ${startup.toFixed(2)} s CLI start)`,
    floor: "gpg --verify in a loop over the same statement files, keys imported first",
    floorMeasured: `${gpgSeconds.toFixed(2)} s = ${rate(signed / gpgSeconds)} statements`,
    ratio: gpgSeconds / cliSeconds,
  });
}

if (isMain(import.meta.url)) await runMain(main);
