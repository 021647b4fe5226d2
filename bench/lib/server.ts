import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { DEFAULT_REDIS_URL } from "../../lib/env-defaults";
import { onCleanup } from "./cleanup";
import { ROOT } from "./paths";

// The portal as production runs it: `next build` once, `next start` on a free port against
// the benchmark's database. BENCH_SKIP_BUILD=1 reuses an existing .next.

const NEXT = path.join(ROOT, "node_modules", ".bin", "next");
const NEXT_JS = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

export function hasBuild(): boolean {
  return existsSync(path.join(ROOT, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"));
}

/** Builds unless BENCH_SKIP_BUILD=1 and a build exists. Returns whether it built. */
export function ensureBuild(): boolean {
  if (process.env.BENCH_SKIP_BUILD === "1" && hasBuild()) return false;
  console.log("bench     · next build (set BENCH_SKIP_BUILD=1 to reuse .next)");
  execFileSync(NEXT, ["build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  return true;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Deletes the BullMQ keys the portal made under this run's own prefix. */
async function dropQueueKeys(prefix: string) {
  const redis = new Redis(process.env.REDIS_URL ?? DEFAULT_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export type TPortal = {
  url: string;
  stop: () => Promise<void>;
  /** CPU seconds (user + system) used so far by the server's processes; NaN without /proc. */
  cpuSeconds: () => number;
};

/** CPU seconds of every live process in this process group, from /proc (Linux). */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      // Fields after the parenthesised name: state is field 3, pgrp 5, utime 14, stime 15.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    }
  } catch {
    return NaN;
  }
  return ticks / 100; // USER_HZ, 100 on Linux
}

/** `next start` on a free port with its own queue prefix; stopped (process group) at cleanup. */
export async function startPortal(databaseUrl: string): Promise<TPortal> {
  ensureBuild();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const prefix = `patchgate-bench-${randomBytes(4).toString("hex")}`;
  let stderr = "";
  // BENCH_CPU_PROFILE=DIR: a V8 CPU profile of the server, written to DIR when it stops.
  const profile = process.env.BENCH_CPU_PROFILE;
  const [cmd, args] = profile
    ? [process.execPath, [`--cpu-prof`, `--cpu-prof-dir=${profile}`, NEXT_JS]]
    : [NEXT, []];
  const child = spawn(cmd, [...args, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    detached: true, // its own process group: stopping it stops whatever it started
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      PORTAL_KEY_PASSPHRASE: randomBytes(18).toString("base64url"),
      PUBLIC_URL: url,
      BULLMQ_PREFIX: prefix,
    },
  });
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  let exited = false;
  child.once("exit", () => (exited = true));
  const stopProcess = async () => {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) process.kill(-child.pid, "SIGKILL");
    }
    await dropQueueKeys(prefix).catch(() => undefined);
  };
  const stop = onCleanup(`next start on ${port}`, stopProcess);
  for (let i = 0; i < 600; i++) {
    if (exited) throw new Error(`next start exited:\n${stderr}`);
    try {
      const r = await fetch(`${url}/login`);
      if (r.status === 200) return { url, stop, cpuSeconds: () => groupCpuSeconds(child.pid!) };
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`next start did not answer within 60 s:\n${stderr}`);
}
