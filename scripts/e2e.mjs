#!/usr/bin/env node
// `npm run test:e2e`: a fresh database, a production build, and Playwright in
// Debian's Chromium against `next start`. Extra arguments go to Playwright.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  run,
  start,
  createDatabaseIfMissing,
  dropDatabase,
  randomDatabaseUrl,
  DEFAULT_DATABASE_URL,
} from "./lib.mjs";

const base =
  process.env.TEST_DATABASE_SERVER_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const env = {
  DATABASE_URL: randomDatabaseUrl(base, "e2e"),
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  E2E_PORT: process.env.E2E_PORT ?? "3100",
  NEXT_TELEMETRY_DISABLED: "1",
  // next start runs as production, where the portal key needs its passphrase (/admin/outbox shows the key).
  PORTAL_KEY_PASSPHRASE: randomBytes(18).toString("base64url"),
  // Step 7's tarball uploads (P9); a spec's own worker process reads the same folder.
  TARBALL_DIR: mkdtempSync(path.join(tmpdir(), "patchgate-e2e-tarballs-")),
};
// No AUTH_URL: Auth.js trusts the request's host (trustHost), so sign-in works on whichever
// address the browser used (e2e/auth/typed-host.spec.ts). PUBLIC_URL is only for links in mail,
// tracker notes and the Atom feed.
env.PUBLIC_URL = `http://localhost:${env.E2E_PORT}`;
delete process.env.AUTH_URL;
delete process.env.NEXTAUTH_URL;

// The specs' people and systems are made by one long-lived process instead of a CLI run
// each (e2e/fixtures/operator-service.ts): it answers once it prints `listening PORT`.
async function startOperatorService(env) {
  const child = start(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "e2e/fixtures/operator-service.ts"],
    { env, stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`the e2e operator service exited with ${code}`)));
  });
  child.stdout.resume();
  return { child, url: `http://127.0.0.1:${port}` };
}

let status = 0;
let operatorService;
await createDatabaseIfMissing(env.DATABASE_URL);
try {
  run("npx", ["prisma", "migrate", "deploy"], { env, stdio: ["ignore", "ignore", "inherit"] });
  if (!process.env.E2E_SKIP_BUILD) run("npx", ["next", "build"], { env });
  operatorService = await startOperatorService(env);
  env.E2E_OPERATOR_URL = operatorService.url;
  run("npx", ["playwright", "test", ...process.argv.slice(2)], { env });
} catch (e) {
  console.error(e.message);
  status = 1;
} finally {
  operatorService?.child.kill();
  await dropDatabase(env.DATABASE_URL);
  rmSync(env.TARBALL_DIR, { recursive: true, force: true });
}
process.exit(status);
