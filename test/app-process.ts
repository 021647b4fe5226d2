import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./workers/redis-process";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const NEXT_BIN = path.join(repoRoot, "node_modules/next/dist/bin/next");
const distDir = () => path.join(repoRoot, process.env.NEXT_DIST_DIR || ".next");

/**
 * The production build `next start` serves. `npm test` builds once before the
 * vitest run (scripts/test.mjs); run alone, a suite that needs it builds it here
 * (minutes), one suite at a time (a lock folder beside the build). An existing
 * build is used as it is: after changing app code, build again.
 */
export async function ensureProductionBuild(): Promise<{ buildId: string; builtAt: Date }> {
  const idFile = path.join(distDir(), "BUILD_ID");
  const lock = `${distDir()}-build-lock`;
  const until = Date.now() + 15 * 60_000;
  while (!existsSync(idFile)) {
    try {
      mkdirSync(lock);
    } catch {
      // Another suite is building: wait for its build.
      if (Date.now() > until)
        throw new Error(`waited too long for the build; remove ${lock} if none runs`);
      await new Promise((r) => setTimeout(r, 1_000));
      continue;
    }
    try {
      const r = spawnSync(process.execPath, [NEXT_BIN, "build"], {
        cwd: repoRoot,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
        stdio: ["ignore", "ignore", "inherit"],
      });
      if (r.status !== 0) throw new Error(`next build exited with ${r.status ?? r.signal}`);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return { buildId: readFileSync(idFile, "utf8").trim(), builtAt: statSync(idFile).mtime };
}

export type TAppEnv = {
  DATABASE_URL: string;
  REDIS_URL: string;
  BULLMQ_PREFIX: string;
  AUTH_SECRET: string;
  PORTAL_KEY_PASSPHRASE: string;
  PUBLIC_URL: string;
  TARBALL_DIR?: string;
};

const live = new Set<ChildProcess>();

/**
 * One `next start` of the production build on its own port, as a load balancer
 * would have several; resolves once it answers. Its output is kept for failure messages.
 */
export async function startAppProcess(env: TAppEnv, port?: number) {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(p), "-H", "127.0.0.1"], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      live.delete(child);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${p}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start on ${p} exited:\n${output}`);
    const ok = await fetch(`${url}/login`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > until) throw new Error(`next start on ${p} did not answer:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** For afterAll: no app process outlives its test file. */
export async function killAppProcesses(): Promise<void> {
  await Promise.all(
    [...live].map((c) => {
      const gone = new Promise<void>((resolve) => c.once("exit", () => resolve()));
      c.kill("SIGKILL");
      return gone;
    }),
  );
}

/** The cookies a response sets, as `name=value` for a Cookie header. */
const setCookies = (response: Response) =>
  response.headers.getSetCookie().map((c) => c.split(";")[0]);

/**
 * One sign-in through Auth.js's credentials endpoint of one app: the session's
 * Cookie header (null when refused) and where the app sends the browser next.
 */
export async function signInAttempt(baseURL: string, email: string, password: string) {
  const csrf = await fetch(`${baseURL}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: setCookies(csrf).join("; "),
    },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseURL}/` }),
  });
  return {
    cookie: setCookies(res).find((c) => /authjs\.session-token=./.test(c)) ?? null,
    location: res.headers.get("location") ?? "",
  };
}

/** Signs in on one app; returns the session's Cookie header. */
export async function signInCookie(baseURL: string, email: string, password: string) {
  const r = await signInAttempt(baseURL, email, password);
  if (!r.cookie) throw new Error(`sign-in of ${email} at ${baseURL} failed: ${r.location}`);
  return r.cookie;
}

/** Auth.js's own sign-out (POST /api/auth/signout) on one app. */
export async function signOut(baseURL: string, cookie: string) {
  const csrf = await fetch(`${baseURL}/api/auth/csrf`, { headers: { cookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseURL}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: [cookie, ...setCookies(csrf)].join("; "),
    },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${baseURL}/` }),
  });
  if (res.status >= 400) throw new Error(`sign-out at ${baseURL}: ${res.status}`);
}
