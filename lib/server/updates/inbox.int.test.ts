import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { appendFile, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { WORKER_ACTOR } from "../../auth/actor";
import { sha256Hex } from "../../crypto/hash";
import { resetDatabase } from "../../../test/reset";
import { makeInstallation } from "../../../test/updates";
import { makeCorpus, type TCorpus } from "../../../test/update-corpus";
import { startRedisProcess } from "../../../test/workers/redis-process";
import { killWorkerProcesses, startWorkerProcess } from "../../../test/workers/worker-process";
import { newInboxState, scanInbox, type TInboxLog } from "./inbox";
import { receivePackage } from "./receive-package";

// U1, the drop directory: the scan itself, and the real worker process taking in
// a file that was dropped while it was down.

let corpus: TCorpus;
let inbox: string;
let lines: { level: string; msg: string }[];
const log: TInboxLog = {
  info: (_o, msg) => lines.push({ level: "info", msg }),
  warn: (_o, msg) => lines.push({ level: "warn", msg }),
  error: (_o, msg) => lines.push({ level: "error", msg }),
};

beforeAll(async () => {
  corpus = await makeCorpus(mkdtempSync(path.join(tmpdir(), "patchgate-inbox-corpus-")));
}, 60_000);
afterAll(async () => {
  await killWorkerProcesses();
  rmSync(corpus.dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDatabase();
  inbox = mkdtempSync(path.join(tmpdir(), "patchgate-inbox-"));
  lines = [];
});

const valid = () => readFileSync(corpus.packages.validDer.path);

function drop(slug: string, name: string, bytes: Uint8Array | string) {
  mkdirSync(path.join(inbox, slug), { recursive: true });
  writeFileSync(path.join(inbox, slug, name), bytes);
}

describe("scanInbox", () => {
  it("takes a settled OS4X_UPDATE or *.signed in once, as the worker, and moves it to processed/", async () => {
    const i = await makeInstallation({ trusted: corpus.trusted.vendor });
    drop(i.slug, "OS4X_UPDATE", valid());
    drop(i.slug, "os4x3_full_pe_Linux-x86.sh.signed", "not signed at all\n");
    drop(i.slug, "README.txt", "not a package name: left alone\n");
    const state = newInboxState();

    const first = await scanInbox({ dir: inbox, state, log });
    expect(first).toEqual({ taken: [], rejected: [], waiting: 2 });
    expect(await db.updatePackage.count()).toBe(0);

    const second = await scanInbox({ dir: inbox, state, log });
    expect(second.taken.map((t) => [t.file, t.state]).sort()).toEqual([
      ["OS4X_UPDATE", "VERIFIED"],
      ["os4x3_full_pe_Linux-x86.sh.signed", "QUARANTINED"],
    ]);
    const rows = await db.updatePackage.findMany({ orderBy: { fileName: "asc" } });
    expect(rows.map((r) => [r.fileName, r.channel, r.uploadedById, r.state])).toEqual([
      ["OS4X_UPDATE", "INBOX", null, "VERIFIED"],
      ["os4x3_full_pe_Linux-x86.sh.signed", "INBOX", null, "QUARANTINED"],
    ]);
    expect(rows[0].inboxKey).toBe(`${i.slug}/OS4X_UPDATE/${sha256Hex(valid())}`);
    const received = await db.auditEvent.findFirstOrThrow({
      where: { action: "package.received", subjectId: rows[0].id },
    });
    expect(received.actorLabel).toBe(WORKER_ACTOR.label);

    expect(readdirSync(path.join(inbox, i.slug)).sort()).toEqual(["README.txt", "processed"]);
    expect(readdirSync(path.join(inbox, i.slug, "processed")).sort()).toEqual(
      rows.map((r) => `${r.fileName}.${r.id}`).sort(),
    );
    expect(lines.filter((l) => l.level === "info")).toHaveLength(2);

    await scanInbox({ dir: inbox, state, log });
    await scanInbox({ dir: inbox, state, log });
    expect(await db.updatePackage.count()).toBe(2);
  });

  it("waits while a file is still being written", async () => {
    const i = await makeInstallation({ trusted: corpus.trusted.vendor });
    const bytes = valid();
    const half = Math.floor(bytes.length / 2);
    drop(i.slug, "OS4X_UPDATE", bytes.subarray(0, half));
    const file = path.join(inbox, i.slug, "OS4X_UPDATE");
    const state = newInboxState();
    await scanInbox({ dir: inbox, state, log });
    await appendFile(file, bytes.subarray(half, half + 10));
    expect((await scanInbox({ dir: inbox, state, log })).waiting).toBe(1);
    await appendFile(file, bytes.subarray(half + 10));
    // Same size as a moment ago would not do if the time changed: touch it.
    await utimes(file, new Date(), new Date(Date.now() + 5_000));
    expect((await scanInbox({ dir: inbox, state, log })).waiting).toBe(1);
    expect(await db.updatePackage.count()).toBe(0);
    const done = await scanInbox({ dir: inbox, state, log });
    expect(done.taken.map((t) => t.state)).toEqual(["VERIFIED"]);
    expect(Buffer.from((await db.updatePackage.findFirstOrThrow()).data)).toEqual(bytes);
  });

  it("leaves a folder that names no installation alone and says so once", async () => {
    drop("no-such-installation", "OS4X_UPDATE", valid());
    drop("Not A Slug", "OS4X_UPDATE", valid());
    const state = newInboxState();
    for (let n = 0; n < 3; n++) await scanInbox({ dir: inbox, state, log });
    expect(await db.updatePackage.count()).toBe(0);
    expect(lines.map((l) => `${l.level} ${l.msg}`).sort()).toEqual([
      "warn update inbox: Not A Slug/ names no installation; its files are left alone",
      "warn update inbox: no-such-installation/ names no installation; its files are left alone",
    ]);
    expect(existsSync(path.join(inbox, "no-such-installation", "OS4X_UPDATE"))).toBe(true);
  });

  it("moves a file past the size limit to rejected/ with a log line, and keeps nothing", async () => {
    const i = await makeInstallation({ trusted: corpus.trusted.vendor });
    drop(i.slug, "big.sh.signed", valid());
    const report = await scanInbox({ dir: inbox, state: newInboxState(), log, maxBytes: 100 });
    expect(report.rejected).toEqual([
      { slug: i.slug, file: "big.sh.signed", bytes: valid().length },
    ]);
    expect(readdirSync(path.join(inbox, i.slug, "rejected"))).toEqual([
      expect.stringMatching(/^big\.sh\.signed\.\d{8}T\d{6}Z$/),
    ]);
    expect(lines).toEqual([
      {
        level: "warn",
        msg: expect.stringContaining("larger than MAX_PACKAGE_BYTES (100); moved to rejected/"),
      },
    ]);
    expect(await db.updatePackage.count()).toBe(0);
  });

  it("after a crash between taking a file in and moving it, moves it without a second package", async () => {
    const i = await makeInstallation({ trusted: corpus.trusted.vendor });
    const bytes = valid();
    drop(i.slug, "OS4X_UPDATE", bytes);
    // The worker took it in, then died before the move.
    const before = await receivePackage({
      actor: WORKER_ACTOR,
      slug: i.slug,
      channel: "INBOX",
      fileName: "OS4X_UPDATE",
      data: bytes,
      inboxKey: `${i.slug}/OS4X_UPDATE/${sha256Hex(bytes)}`,
    });
    const state = newInboxState();
    await scanInbox({ dir: inbox, state, log });
    const after = await scanInbox({ dir: inbox, state, log });
    expect(after.taken).toEqual([
      { slug: i.slug, file: "OS4X_UPDATE", id: before.id, state: "VERIFIED" },
    ]);
    expect(await db.updatePackage.count()).toBe(1);
    expect(await db.packageVerdict.count()).toBe(1);
  });
});

describe("the worker", () => {
  it("verifies a file dropped while it was down once it starts, once, across a restart", async () => {
    const redis = await startRedisProcess();
    try {
      const i = await makeInstallation({ trusted: corpus.trusted.vendor, mode: "manual" });
      drop(i.slug, "os4x3_full_pe_Linux-x86.sh.signed", valid());
      const env = {
        DATABASE_URL: process.env.DATABASE_URL!,
        REDIS_URL: redis.url,
        BULLMQ_PREFIX: `pgtest-inbox-${randomBytes(4).toString("hex")}`,
        SMTP_URL: "smtp://127.0.0.1:9",
        MAIL_FROM: "patchgate@inbox.example.org",
        PUBLIC_URL: "https://patchgate.example.org",
        PORTAL_KEY_PASSPHRASE: "inbox-test-portal-passphrase",
        UPDATE_INBOX_DIR: inbox,
        UPDATE_INBOX_POLL_MS: "200",
      };
      const processed = path.join(inbox, i.slug, "processed");
      const worker = startWorkerProcess(env);
      const until = Date.now() + 30_000;
      while (!existsSync(processed) || readdirSync(processed).length === 0) {
        if (Date.now() > until) throw new Error(`never taken in:\n${worker.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const pkg = await db.updatePackage.findFirstOrThrow();
      expect(pkg).toMatchObject({
        channel: "INBOX",
        state: "VERIFIED",
        fileName: "os4x3_full_pe_Linux-x86.sh.signed",
      });
      expect(readdirSync(processed)).toEqual([`os4x3_full_pe_Linux-x86.sh.signed.${pkg.id}`]);
      expect(await db.packageUpdate.count({ where: { packageId: pkg.id } })).toBe(1);
      expect(worker.output()).toContain(`taken in as package ${pkg.id}: VERIFIED`);
      await worker.stop("SIGTERM");

      const again = startWorkerProcess(env);
      await new Promise((r) => setTimeout(r, 2_000));
      await again.stop("SIGTERM");
      expect(await db.updatePackage.count()).toBe(1);
      expect(await db.packageVerdict.count()).toBe(1);
    } finally {
      await killWorkerProcesses();
      await redis.kill();
    }
  }, 90_000);
});
