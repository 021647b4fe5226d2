import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { DEFAULT_DATABASE_URL } from "../lib/env-defaults";

// Each test run gets its own database, migrated with the real migrations and
// dropped at the end. The server is the one DATABASE_URL points at (or the default).
const serverUrl = new URL(
  process.env.TEST_DATABASE_SERVER_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
);

function urlFor(database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor("postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(label = "test"): Promise<{ name: string; url: string }> {
  const name = `patchgate_${label}_${randomBytes(5).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = urlFor(name);
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return { name, url };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/**
 * The database of one vitest worker: a copy of the migrated template, made the
 * first time the worker needs it (a worker runs its files one after another).
 */
export async function workerDatabaseUrl(template: string, poolId: string): Promise<string> {
  if (!/^\d+$/.test(poolId)) throw new Error(`unexpected VITEST_POOL_ID ${poolId}`);
  const name = `${template}_w${poolId}`;
  await admin(async (c) => {
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  });
  return urlFor(name);
}

/** Drops a run's template and every worker's copy of it. */
export async function dropTestDatabases(template: string): Promise<void> {
  const { rows } = await admin((c) =>
    c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `${template}%`,
    ]),
  );
  for (const { datname } of rows) await dropTestDatabase(datname);
}

/**
 * An empty database (no migrations) beside this run's, for `pg_restore` to fill.
 * Named after the run's template, so the run's teardown drops it whatever fails.
 */
export async function createEmptyDatabase(label: string): Promise<{ name: string; url: string }> {
  const template = process.env.TEST_DATABASE_TEMPLATE;
  if (!template) throw new Error("integration tests run through vitest's global setup");
  const name = `${template}_${label}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { name, url: urlFor(name) };
}
