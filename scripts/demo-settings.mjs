// Where `npm run demo` keeps its files and which local ports its peers use
// (scripts/demo-peers.ts). Shared by scripts/demo.mjs, the peers and the seed,
// so the seeded system configuration points at the peers that really run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

function port(value, fallback) {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`not a port: ${value}`);
  return n;
}

/** @param {NodeJS.ProcessEnv} env */
export function demoSettings(env = process.env) {
  const dir = path.resolve(ROOT, env.DEMO_DIR ?? ".demo");
  return {
    dir,
    smtpPort: port(env.DEMO_SMTP_PORT, 2525),
    trackerPort: port(env.DEMO_TRACKER_PORT, 3025),
    sftpPort: port(env.DEMO_SFTP_PORT, 2222),
    mailFrom: env.MAIL_FROM ?? "patchgate@demo.patchgate.org",
    mailDir: path.join(dir, "mail"),
    trackerLog: path.join(dir, "tracker.log"),
    mirrorDir: path.join(dir, "mirror"),
    sshDir: path.join(dir, "ssh"),
    tarballDir: path.join(dir, "tarballs"),
  };
}

/** A demo secret kept in a git-ignored file of the demo folder, generated on first use. */
export function demoSecret(dir, name) {
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}
