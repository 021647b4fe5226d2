import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// The real `patchgate` in a child process, as a person runs it: for the CLI's
// integration tests. Without DATABASE_URL unless asked: a client command needs
// only the portal, and must not reach for the database.

const BIN = fileURLToPath(new URL("../bin/patchgate.mjs", import.meta.url));

export type TRun = { code: number | null; stdout: string; stderr: string };

export function runCli(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; stdin?: string; withDb?: boolean },
): Promise<TRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATCHGATE_DEBUG: "", ...opts.env };
    if (!opts.withDb) delete env.DATABASE_URL;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? "");
  });
}
