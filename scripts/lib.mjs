// Small helpers shared by the demo and test scripts (plain Node: they run first).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/patchgate";

/** Runs a command to completion, inheriting stdio; throws on a non-zero exit. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    stdio: "inherit",
    cwd: ROOT,
    ...opts,
    env: { ...process.env, ...opts.env },
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
  return r;
}

/** Starts a long-running child that dies with us. */
export function start(cmd, args, opts = {}) {
  return spawn(cmd, args, {
    stdio: "inherit",
    cwd: ROOT,
    ...opts,
    env: { ...process.env, ...opts.env },
  });
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createDatabaseIfMissing(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      return true;
    }
    return false;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export function randomDatabaseUrl(base, label) {
  return withDatabase(base, `patchgate_${label}_${randomBytes(5).toString("hex")}`);
}

export const NODE_SERVER = ["--conditions=react-server", "--import", "tsx"];
