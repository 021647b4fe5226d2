#!/usr/bin/env node
// `npm run demo`: database (created if missing), migrations, demo data, build,
// then the portal and the worker. Safe to run again. DATABASE_URL, REDIS_URL and
// PORT override the defaults.
import { ROOT, run, start, createDatabaseIfMissing, localAuthSecret, DEFAULT_DATABASE_URL, NODE_SERVER } from "./lib.mjs";
import { readFileSync } from "node:fs";
import path from "node:path";

const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  PORT: process.env.PORT ?? "3000",
  AUTH_SECRET: process.env.AUTH_SECRET ?? localAuthSecret(".demo"),
  NEXT_TELEMETRY_DISABLED: "1",
};
const url = `http://localhost:${env.PORT}`;
env.PUBLIC_URL = process.env.PUBLIC_URL ?? url;
env.AUTH_URL = process.env.AUTH_URL ?? url;

const created = await createDatabaseIfMissing(env.DATABASE_URL);
console.log(created ? "created the database" : "the database exists");
run("npx", ["prisma", "migrate", "deploy"], { env });
run(process.execPath, [...NODE_SERVER, "prisma/seed/demo.ts"], { env });
run("npx", ["next", "build"], { env });

const web = start("npx", ["next", "start", "-p", env.PORT], { env });
const worker = start(process.execPath, [...NODE_SERVER, "workers/index.ts"], { env });

setTimeout(() => {
  const logins = readFileSync(path.resolve(ROOT, process.env.DEMO_DIR ?? ".demo", "logins.txt"), "utf8");
  console.log(`\nPatchgate demo is running on ${url}\n\n${logins}\nStop with Ctrl-C.\n`);
}, 2000);

const stop = () => {
  web.kill("SIGTERM");
  worker.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
web.on("exit", (code) => {
  worker.kill("SIGTERM");
  process.exitCode = code ?? 0;
});
