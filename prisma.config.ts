import { defineConfig } from "prisma/config";
import { cliAdapter } from "./prisma/cli-adapter";
import { DEFAULT_DATABASE_URL } from "./lib/env-defaults";

// With a prisma.config.ts, Prisma no longer reads .env itself.
try {
  process.loadEnvFile();
} catch {
  // no .env: defaults below
}
// `prisma generate` must see a resolvable DATABASE_URL, or it tries to download an engine.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;

// The wasm schema engine leaves a 10 s timer referenced after it finished (and
// migrate dev a 60 s one). Unref long timers only; the engine's work is awaited
// through the database connection, which stays referenced while in use.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const timer = originalSetTimeout(fn, ms, ...args);
  if ((ms ?? 0) >= 10_000) timer.unref();
  return timer;
}) as typeof setTimeout;

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => cliAdapter(process.env.DATABASE_URL!),
  migrations: { path: "prisma/migrations" },
});
