// The demo's local stand-ins for the outside world of the worker steps (P7–P9),
// started by scripts/demo.mjs before the worker: an SMTP server that keeps each
// mail as <demo dir>/mail/*.eml, a MantisBT-like tracker that logs each request
// to <demo dir>/tracker.log (and lists them at GET /), and an SFTP server rooted
// at <demo dir>/mirror/. They are the peers of peers/, which the tests start too, here on fixed ports.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { demoSecret, demoSettings } from "./demo-settings.mjs";
import { demoSshKeys } from "./demo-ssh-keys";
import { startSmtpPeer } from "../peers/smtp-peer";
import { startTrackerPeer, type TTrackerRequest } from "../peers/tracker-peer";
import { startSftpPeer } from "../peers/sftp-peer";

const s = demoSettings();

function stamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

const escapeHtml = (t: string) =>
  t.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function trackerPage(): string {
  const lines = existsSync(s.trackerLog)
    ? readFileSync(s.trackerLog, "utf8").split("\n").filter(Boolean)
    : [];
  const rows = lines
    .map(
      (l) =>
        JSON.parse(l) as { at: string; method: string; url: string; status: number; body: unknown },
    )
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.at)}</td><td>${escapeHtml(r.method)} ${escapeHtml(r.url)}</td><td>${r.status}</td><td><pre>${escapeHtml(JSON.stringify(r.body, null, 2))}</pre></td></tr>`,
    )
    .join("\n");
  return `<!doctype html><meta charset="utf-8"><title>Demo bug tracker</title>
<h1>Demo bug tracker (MantisBT REST API)</h1><p>${lines.length} request(s), newest last; also in ${escapeHtml(s.trackerLog)}.</p>
<table border="1" cellpadding="4"><tr><th>at</th><th>request</th><th>status</th><th>body</th></tr>
${rows}</table>`;
}

function logTrackerRequest(r: TTrackerRequest, status: number) {
  let body: unknown = r.body;
  try {
    body = JSON.parse(r.body);
  } catch {
    // kept as text
  }
  // The Authorization header is the token: never written down.
  appendFileSync(
    s.trackerLog,
    JSON.stringify({
      at: new Date().toISOString(),
      method: r.method,
      url: r.url,
      status,
      body,
      problems: r.problems,
    }) + "\n",
  );
  console.log(`[demo tracker] ${r.method} ${r.url} -> ${status}`);
}

async function main() {
  for (const d of [s.mailDir, path.join(s.mirrorDir, "test1"), path.dirname(s.trackerLog)])
    mkdirSync(d, { recursive: true });
  const mantisToken = process.env.DEMO_MANTIS_TOKEN ?? demoSecret(s.dir, "mantis-token");
  const keys = demoSshKeys(s.sshDir);

  let n = readdirSync(s.mailDir).filter((f) => f.endsWith(".eml")).length;
  const smtp = await startSmtpPeer(s.smtpPort, {
    onMessage(m) {
      const file = path.join(s.mailDir, `${stamp(m.at)}-${++n}.eml`);
      writeFileSync(file, m.raw);
      const subject = /^Subject: (.*)$/im.exec(m.raw.replace(/\r?\n[ \t]+/g, " "))?.[1] ?? "";
      console.log(
        `[demo smtp] ${m.to.join(", ")}: ${subject} -> ${path.relative(process.cwd(), file)}`,
      );
    },
  });
  const tracker = await startTrackerPeer({
    mantisToken,
    webhookSecret: randomBytes(16).toString("hex"),
    mantisPath: "",
    port: s.trackerPort,
    onResponse: logTrackerRequest,
    indexPage: trackerPage,
  });
  const sftp = await startSftpPeer({
    root: s.mirrorDir,
    port: s.sftpPort,
    hostKey: keys.hostKey,
    clientKey: keys.clientKey,
  });
  console.log(
    `[demo peers] smtp ${smtp.url}, tracker ${tracker.base}, sftp 127.0.0.1:${sftp.port} (${keys.hostFingerprint})`,
  );
  process.send?.("ready");

  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    // Pooled SMTP and keep-alive connections may hold a close open: do not wait long.
    setTimeout(() => process.exit(0), 3000).unref();
    await Promise.allSettled([smtp.stop(), tracker.close(), sftp.close()]);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  process.on("disconnect", () => void stop());
}

main().catch((e) => {
  console.error("[demo peers] failed to start:", e);
  process.exit(1);
});
