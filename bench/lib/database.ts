import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { DEFAULT_DATABASE_URL } from "../../lib/env-defaults";
import { onCleanup } from "./cleanup";
import { ROOT } from "./paths";

// Throwaway databases on the server DATABASE_URL names (or the default), dropped on every way out.

const server = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);

export function databaseUrl(name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl("postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database (no migrations), dropped at cleanup. */
export async function createEmptyDatabase(label: string): Promise<{ name: string; url: string }> {
  const name = `patchgate_bench_${label}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  onCleanup(`database ${name}`, () =>
    admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  );
  return { name, url: databaseUrl(name) };
}

/** A database with the real migrations applied, as the portal runs on. */
export async function createBenchDatabase(label: string): Promise<{ name: string; url: string }> {
  const created = await createEmptyDatabase(label);
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: created.url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return created;
}

/**
 * Points this process at the database before lib/db is first imported (its client reads
 * DATABASE_URL once): import the use-cases dynamically after this.
 */
export function pointAtDatabase(url: string): void {
  process.env.DATABASE_URL = url;
}
