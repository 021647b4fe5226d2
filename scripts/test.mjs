#!/usr/bin/env node
// `npm test`: everything, against real PostgreSQL and Redis. Typecheck, lint,
// unit and integration tests (vitest), end-to-end tests (Playwright in Debian's
// Chromium against the built app). Ends with one line: `N passed, N failed`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./lib.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

// Debian packages the suite needs, and the command that proves each is there.
const SYSTEM_PACKAGES = [
  { pkg: "chromium", bin: "chromium" },
  { pkg: "gnupg", bin: "gpg" },
  { pkg: "docker-compose", bin: "docker-compose" },
  // The worker fault tests start a Redis of their own to kill and restart.
  { pkg: "redis-server", bin: "redis-server" },
  // The backup suite dumps and restores with the server's own tools (pg_dump, pg_restore, psql).
  { pkg: "postgresql-client", bin: "pg_restore" },
  // test/postgres-restart.int.test.ts starts and stops a PostgreSQL server of its own.
  { pkg: "postgresql-15", bin: "/usr/lib/postgresql/15/bin/pg_ctl" },
];

function have(bin) {
  return spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
}

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !have(p.bin)).map((p) => p.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `The test suite needs these Debian packages: ${missing.join(" ")}\n  sudo apt-get update && sudo apt-get install -y ${missing.join(" ")}`,
    );
    process.exit(1);
  }
  console.log(`installing ${missing.join(", ")} with apt-get`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...missing]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env: aptEnv });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const results = [];

function firstLine(messages) {
  // Playwright's messages carry terminal colours.
  const text = ((messages ?? []).find(Boolean) ?? "").replace(/\x1b\[[0-9;]*m/g, "");
  return (
    text
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim()
      .slice(0, 300) ?? ""
  );
}

// Playwright's JSON nests suites (file › describe › ...) down to specs and their runs.
function playwrightFailures(suites = [], titles = []) {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? [])
      .filter((spec) => spec.tests.some((t) => t.status === "unexpected"))
      .map((spec) => {
        const error = spec.tests.flatMap((t) => t.results).find((r) => r.error)?.error?.message;
        return `${spec.file}:${spec.line} › ${[...titles, spec.title].join(" › ")}\n    ${firstLine([error])}`;
      }),
    ...playwrightFailures(
      suite.suites,
      suite.file === suite.title ? titles : [...titles, suite.title],
    ),
  ]);
}

function step(name, cmd, args, count) {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: ROOT, env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counted = count?.();
  const passed = counted ? counted.passed : r.status === 0 ? 1 : 0;
  const failed = counted
    ? counted.failed + (r.status !== 0 && counted.failed === 0 ? 1 : 0)
    : r.status === 0
      ? 0
      : 1;
  results.push({ name, passed, failed, seconds, failures: counted?.failures ?? [] });
}

const out = mkdtempSync(path.join(tmpdir(), "patchgate-test-"));
const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);

ensureSystemPackages();

step("typecheck", "npx", ["tsc", "-p", "."]);
step("lint", "npx", ["eslint", "."]);
step("format", "npx", ["prettier", "--check", "."]);

// One production build for both: the scale-out suite (vitest) runs `next start` on
// it, and Playwright's run then skips its own build.
step("build (next build)", "npx", ["next", "build"]);
if (results.at(-1).failed === 0) env.E2E_SKIP_BUILD = "1";

const vitestJson = path.join(out, "vitest.json");
step(
  "unit + integration (vitest)",
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
  () => {
    const j = readJson(vitestJson);
    return j
      ? {
          failures: j.testResults.flatMap((file) => [
            ...file.assertionResults
              .filter((t) => t.status === "failed")
              .map(
                (t) =>
                  `${path.relative(ROOT, file.name)} › ${t.fullName} (${(t.duration / 1000).toFixed(1)} s)\n    ${firstLine(t.failureMessages)}`,
              ),
            // A file that failed before any test ran (import error, hook timeout).
            ...(file.status === "failed" &&
            !file.assertionResults.some((t) => t.status === "failed")
              ? [`${path.relative(ROOT, file.name)}\n    ${firstLine([file.message])}`]
              : []),
          ]),
          passed: j.numPassedTests,
          failed:
            j.numFailedTests +
            (j.numTotalTestSuites && j.success === false && j.numFailedTests === 0 ? 1 : 0),
        }
      : { passed: 0, failed: 1 };
  },
);

const pwJson = path.join(out, "playwright.json");
env.PW_JSON_OUTPUT = pwJson;
step("end-to-end (Playwright)", process.execPath, ["scripts/e2e.mjs"], () => {
  const j = readJson(pwJson);
  return j
    ? {
        passed: j.stats.expected + j.stats.flaky,
        failed: j.stats.unexpected,
        failures: playwrightFailures(j.suites),
      }
    : { passed: 0, failed: 1 };
});

// The failures again, last, so the tail of a long log names them.
const failures = results.flatMap((r) => r.failures.map((f) => `${r.name}: ${f}`));
if (failures.length > 0) {
  console.log("\n━━ failed ━━");
  for (const f of failures) console.log(f);
}

console.log("\n━━ summary ━━");
for (const r of results)
  console.log(
    `${r.name.padEnd(30)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  (${r.seconds} s)`,
  );
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
