import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export type TWorkerEnv = {
  DATABASE_URL: string;
  REDIS_URL: string;
  BULLMQ_PREFIX: string;
  SMTP_URL: string;
  MAIL_FROM: string;
  PUBLIC_URL: string;
  PORTAL_KEY_PASSPHRASE: string;
  /** Shorter than production's 30 s so a killed worker's job comes back within seconds. */
  WORKER_LOCK_MS?: string;
  /** The update packages' drop directory and its poll (U1). */
  UPDATE_INBOX_DIR?: string;
  UPDATE_INBOX_POLL_MS?: string;
  /** Step 7's tarballs, which step 13 mirrors (shared storage when there are several workers). */
  TARBALL_DIR?: string;
  /** Tracker secrets, by the names the systems store (trackerSecretEnv). */
  [trackerSecret: string]: string | undefined;
  /** The outbox's retry schedule (docs/configuration.md), short in tests. */
  OUTBOX_RETRY_ATTEMPTS?: string;
  OUTBOX_BACKOFF_MS?: string;
  OUTBOX_BACKOFF_MAX_MS?: string;
};

const live = new Set<ChildProcess>();

/**
 * The real worker (`npm run start:worker`'s command line) as a child process,
 * so a test can SIGKILL it in the middle of a job. Its output is kept for the
 * failure message.
 */
export function startWorkerProcess(env: TWorkerEnv) {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "workers/index.ts"],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "test",
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  live.add(child);
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );

  return {
    pid: child.pid,
    output: () => output,
    exited,
    /** Sends the signal and resolves with how the process ended. */
    async stop(signal: NodeJS.Signals) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** For afterAll: no worker outlives its test file, whatever failed. */
export async function killWorkerProcesses(): Promise<void> {
  await Promise.all(
    [...live].map((c) => {
      const gone = new Promise<void>((resolve) => c.once("exit", () => resolve()));
      c.kill("SIGKILL");
      return gone;
    }),
  );
}
