// `npm run bench`: each operation beside its floor, measured in the same run on this machine,
// and the ratio. Numbers, not pass/fail (docs/performance.md). One or more by name:
//   npm run bench -- signoffs verify
// Each benchmark runs in its own process with its own throwaway database (lib/db reads
// DATABASE_URL once per process) and removes what it made, whatever happens.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ensureBuild } from "./lib/server";
import { formatLine, type TLine } from "./lib/report";
import { ROOT } from "./lib/paths";

const BENCHES = {
  signoffs: { file: "signoffs.ts", server: true, what: "sign-offs over HTTP vs verify + insert" },
  verify: { file: "verify.ts", server: false, what: "patchgate verify vs a gpg --verify loop" },
  audit: { file: "audit.ts", server: false, what: "audit chain / tree vs raw SHA-256" },
  pages: { file: "pages.ts", server: true, what: "patch list and queue at scale vs the SQL" },
} as const;
type TName = keyof typeof BENCHES;

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(a in BENCHES));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(", ")}; there are:`);
  for (const [name, b] of Object.entries(BENCHES)) console.error(`  ${name.padEnd(9)} ${b.what}`);
  process.exit(2);
}
const names = (asked.length ? asked : Object.keys(BENCHES)) as TName[];

let current: ReturnType<typeof spawn> | null = null;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    // The child cleans up (databases, servers) on the same signal, then we exit.
    current?.kill(signal);
  });

function runChild(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench", file)],
      { cwd: ROOT, stdio: "inherit", env },
    );
    current = child;
    child.on("exit", (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const t0 = performance.now();
const cores = os.cpus().length;
console.log(
  `bench     · ${names.join(", ")} on ${cores} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
if (names.some((n) => BENCHES[n].server)) ensureBuild();

const dir = mkdtempSync(path.join(os.tmpdir(), "patchgate-bench-"));
const results = path.join(dir, "results.jsonl");
const failed: string[] = [];
try {
  for (const name of names) {
    console.log(`\n== ${name}: ${BENCHES[name].what}`);
    const code = await runChild(BENCHES[name].file, {
      ...process.env,
      BENCH_RESULTS: results,
      BENCH_SKIP_BUILD: "1", // built above, once
    });
    if (code !== 0) failed.push(name);
  }
  const lines: TLine[] = existsSync(results)
    ? readFileSync(results, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as TLine)
    : [];
  console.log(
    `\n== summary (${cores} cores, ${((performance.now() - t0) / 1000).toFixed(0)} s, load average now ${os.loadavg()[0].toFixed(1)})`,
  );
  for (const l of lines) console.log(formatLine(l));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed.length) {
  console.error(`\nfailed: ${failed.join(", ")}`);
  process.exit(1);
}
