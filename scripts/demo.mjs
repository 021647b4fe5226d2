#!/usr/bin/env node
// `npm run demo`: database (created if missing), migrations, demo data, build,
// then local peers for the worker steps (scripts/demo-peers.ts: SMTP, a
// MantisBT-like tracker, SFTP), the portal and the worker. Safe to run again.
// DATABASE_URL, REDIS_URL, PORT, DEMO_DIR and DEMO_{SMTP,TRACKER,SFTP}_PORT override the defaults.
import {
  ROOT,
  run,
  start,
  createDatabaseIfMissing,
  DEFAULT_DATABASE_URL,
  NODE_SERVER,
} from "./lib.mjs";
import { readFileSync } from "node:fs";
import path from "node:path";
import { demoSecret, demoSettings } from "./demo-settings.mjs";

const demo = demoSettings();
const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  PORT: process.env.PORT ?? "3000",
  // Jobs of this demo's database only: two demos on one Redis never take each other's jobs.
  BULLMQ_PREFIX:
    process.env.BULLMQ_PREFIX ??
    `patchgate-${new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL).pathname.slice(1)}`,
  AUTH_SECRET: process.env.AUTH_SECRET ?? demoSecret(demo.dir, "auth-secret"),
  // The portal key's user id and its passphrase: the same for the portal (which serves the key) and the worker.
  MAIL_FROM: demo.mailFrom,
  PORTAL_KEY_PASSPHRASE:
    process.env.PORTAL_KEY_PASSPHRASE ?? demoSecret(demo.dir, "portal-key-passphrase"),
  NEXT_TELEMETRY_DISABLED: "1",
};
const url = `http://localhost:${env.PORT}`;
// Links in mail and tracker notes. No AUTH_URL unless the operator sets one: Auth.js then
// trusts the request's host, so the demo signs in at localhost, 127.0.0.1 or the machine's name.
env.PUBLIC_URL = process.env.PUBLIC_URL ?? url;
const workerEnv = {
  ...env,
  SMTP_URL: process.env.SMTP_URL ?? `smtp://127.0.0.1:${demo.smtpPort}`,
  TARBALL_DIR: process.env.TARBALL_DIR ?? demo.tarballDir,
  DEMO_MANTIS_TOKEN: process.env.DEMO_MANTIS_TOKEN ?? demoSecret(demo.dir, "mantis-token"),
};

const created = await createDatabaseIfMissing(env.DATABASE_URL);
console.log(created ? "created the database" : "the database exists");
run("npx", ["prisma", "migrate", "deploy"], { env });
run(process.execPath, [...NODE_SERVER, "prisma/seed/demo.ts"], { env });
run("npx", ["next", "build"], { env });

// The peers first: the worker starts sending the seeded deployment's mail at once.
const peers = start(process.execPath, [...NODE_SERVER, "scripts/demo-peers.ts"], {
  env: workerEnv,
  stdio: ["inherit", "inherit", "inherit", "ipc"],
});
await new Promise((resolve, reject) => {
  peers.once("message", resolve);
  peers.once("exit", (code) =>
    reject(
      new Error(
        `the demo peers exited with ${code} (a port in use? set DEMO_SMTP_PORT, DEMO_TRACKER_PORT, DEMO_SFTP_PORT)`,
      ),
    ),
  );
});

// next's own bin under node (not npx, which does not pass SIGTERM on to the server).
const web = start(
  process.execPath,
  [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", env.PORT],
  { env },
);
const worker = start(process.execPath, [...NODE_SERVER, "workers/index.ts"], { env: workerEnv });

setTimeout(() => {
  const logins = readFileSync(path.join(demo.dir, "logins.txt"), "utf8");
  const rel = (p) => path.relative(ROOT, p) || ".";
  console.log(
    `\nPatchgate demo is running on ${url}\n\n${logins}\n` +
      `The worker's effects (docs/demo.md):\n` +
      `  signed mail     ${rel(demo.mailDir)}/*.eml   (SMTP 127.0.0.1:${demo.smtpPort}; verify: node --import tsx scripts/verify-demo-mail.ts <file>)\n` +
      `  bug tracker     ${rel(demo.trackerLog)}   (http://127.0.0.1:${demo.trackerPort}/)\n` +
      `  tarball mirror  ${rel(demo.mirrorDir)}/test1/   (SFTP 127.0.0.1:${demo.sftpPort})\n` +
      `  portal key      ${url}/api/portal-key\n\nStop with Ctrl-C.\n`,
  );
}, 2000);

let stopping = false;
const stop = () => {
  stopping = true;
  web.kill("SIGTERM");
  worker.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
// The peers go last, once the worker has finished its running jobs.
worker.on("exit", () => peers.kill("SIGTERM"));
peers.on("exit", (code) => {
  if (!stopping) console.error(`the demo peers stopped (${code}); stopping the demo`);
  stop();
});
web.on("exit", (code) => {
  worker.kill("SIGTERM");
  process.exitCode = code ?? 0;
});
