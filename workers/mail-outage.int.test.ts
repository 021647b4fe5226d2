import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pino from "pino";
import { db } from "../lib/db";
import { env } from "../lib/env";
import { resetDatabase } from "../test/reset";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { addSystem } from "../lib/server/systems/add-system";
import { startRuntime } from "./runtime";
import { startSmtpPeer } from "../peers/smtp-peer";
import { startTrackerPeer } from "../peers/tracker-peer";
import { startSftpPeer } from "../peers/sftp-peer";
import { deploymentUpToStep9 } from "../test/workers/deployment";
import type { TRetryPolicy } from "../lib/jobs/queues";

// Issue 17, "a long mail outage": the SMTP server refuses connections for far
// longer than the whole retry schedule while a deployment's steps 10–13 run.
// Step 10 waits for the mail server, steps 11 and 12 wait for step 10, and none
// of them spends a retry doing so; when the server is back every effect happens
// once, with no admin's retry. The schedule is the one OUTBOX_RETRY_ATTEMPTS,
// OUTBOX_BACKOFF_MS and OUTBOX_BACKOFF_MAX_MS set, made short so this takes seconds.
const RETRY: TRetryPolicy = { attempts: 3, backoffMs: 100, backoffMaxMs: 400, waitMaxMs: 60_000 };
/** Every delay of the retry schedule added up: a failing effect is FAILED by then. */
const WHOLE_SCHEDULE_MS = 100 + 200;
const OUTAGE_MS = 20 * WHOLE_SCHEDULE_MS;

const prefix = `pgtest-${randomBytes(4).toString("hex")}`;
const TARBALL = "cacert-2026-12-01.tar.gz";
const tarballDir = mkdtempSync(path.join(tmpdir(), "patchgate-tarballs-"));
const tarballBytes = randomBytes(50_000);
const TARBALL_SHA = createHash("sha256").update(tarballBytes).digest("hex");
const keyDir = mkdtempSync(path.join(tmpdir(), "patchgate-sshkey-"));

let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let tracker: Awaited<ReturnType<typeof startTrackerPeer>>;
let sftp: Awaited<ReturnType<typeof startSftpPeer>>;
let runtime: Awaited<ReturnType<typeof startRuntime>>;
let smtpUp = true;
const smtpDown = async () => {
  await smtp.stop();
  smtpUp = false;
};
const smtpBack = async () => {
  if (!smtpUp) await smtp.start();
  smtpUp = true;
};

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (kind: string) => db.outbox.findFirstOrThrow({ where: { kind } });

async function configure(assessmentTeamAddress: string | null = "cacert-sysadm@lists.example.org") {
  const system = await db.targetSystem.update({
    where: { slug: "webdb" },
    data: {
      systemLogAddress: "cacert-systemlog@lists.example.org",
      assessmentTeamAddress,
      trackerKind: "MANTIS",
      trackerUrl: `${tracker.base}/mantis`,
      trackerSecretEnv: "TEST_MANTIS_TOKEN",
    },
  });
  await db.mirrorTarget.create({
    data: {
      systemId: system.id,
      url: `sftp://mirror@127.0.0.1:${sftp.port}/test1`,
      hostKeySha256: sftp.hostFingerprint,
      privateKeyPath: path.join(keyDir, "id"),
    },
  });
}

beforeAll(async () => {
  // This vitest worker's database may still hold the outbox rows of the file it ran before:
  // the dispatcher started below would mail them through this file's peer (seen in CI: a third
  // mail in a test that expects two).
  await resetDatabase();
  smtp = await startSmtpPeer(0, { onlyFrom: `${prefix}@portal.example.org` });
  tracker = await startTrackerPeer({ mantisToken: "mantis-token-123", webhookSecret: "unused" });
  sftp = await startSftpPeer();
  writeFileSync(path.join(keyDir, "id"), sftp.clientPrivateKey, { mode: 0o600 });
  writeFileSync(path.join(tarballDir, TARBALL), tarballBytes);
  runtime = await startRuntime({
    redisUrl: env().REDIS_URL,
    prefix,
    retry: RETRY,
    dispatchEveryMs: 100,
    sweepEveryMs: 1_000,
    staleAfterMs: 2_000,
    concurrency: 8,
    ctx: {
      smtpUrl: smtp.url,
      mailFrom: `${prefix}@portal.example.org`,
      publicUrl: "https://patchgate.example.org",
      tarballDir,
      secret: (n) => (n === "TEST_MANTIS_TOKEN" ? "mantis-token-123" : undefined),
      log: pino({ level: "silent" }),
      timeoutMs: 2_000,
    },
  });
});

afterAll(async () => {
  await runtime?.close();
  await smtp?.stop();
  await tracker?.close();
  await sftp?.close();
  const redis = new Redis(env().REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(tarballDir, { recursive: true, force: true });
  rmSync(keyDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await resetDatabase();
  await smtpBack();
  smtp.messages.length = 0;
  tracker.requests.length = 0;
  rmSync(path.join(sftp.root, "test1"), { recursive: true, force: true });
  mkdirSync(path.join(sftp.root, "test1"));
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
});

describe("a mail outage longer than the whole retry schedule", () => {
  it("steps 10–13 wait without spending retries and each happens once when the server is back", async () => {
    await configure();
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    const uploadsBefore = sftp.uploads();
    await smtpDown();
    const downAt = Date.now();
    await d.finish();

    // Step 10 waits for the mail server; 11 and 12 wait for step 10. Rows say so, with no error.
    await waitFor("step 10 to wait for the mail server", async () =>
      /^the mail server to answer \(.*ECONNREFUSED/.test(
        (await row("deployment.notify")).waitingFor ?? "",
      ),
    );
    await waitFor("steps 11 and 12 to wait for step 10", async () => {
      const rows = await db.outbox.findMany({
        where: { kind: { in: ["deployment.bug-update", "deployment.reply"] } },
      });
      return (
        rows.length === 2 &&
        rows.every((r) => r.waitingFor === "the notification (step 10) to be sent")
      );
    });
    // Step 13 needs no mail: it is done during the outage.
    await waitFor(
      "step 13 to be done",
      async () => (await row("deployment.mirror")).state === "DONE",
    );

    // Stay down for many times the whole retry schedule, and until every waiting job was looked
    // at more times than it has tries (a slow machine looks less often); then: nothing FAILED.
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    await waitFor(
      "each waiting job to be looked at more often than it has tries",
      async () => {
        const pending = await db.outbox.findMany({ where: { state: "PENDING" } });
        const jobs = await Promise.all(pending.map((r) => runtime.queue.getJob(r.id)));
        return jobs.every((j) => (j?.attemptsStarted ?? 0) > RETRY.attempts + 1);
      },
      60_000,
    );
    const during = await db.outbox.findMany({ orderBy: { kind: "asc" } });
    expect(during.map((r) => [r.kind, r.state, r.lastError])).toEqual([
      ["deployment.bug-update", "PENDING", null],
      ["deployment.mirror", "DONE", null],
      ["deployment.notify", "PENDING", null],
      ["deployment.reply", "PENDING", null],
    ]);
    for (const r of during.filter((x) => x.state === "PENDING")) {
      const job = await runtime.queue.getJob(r.id);
      expect(job?.attemptsMade, `${r.kind} spent no retry`).toBe(0);
      expect(job!.attemptsStarted, `${r.kind} was looked at again and again`).toBeGreaterThan(
        RETRY.attempts,
      );
    }
    // Steps 11 and 12 tried nothing yet (a look may be under way as we read: at most 1);
    // step 10 knocked at the server each time it looked.
    expect(during.find((r) => r.kind === "deployment.bug-update")!.attempts).toBeLessThanOrEqual(1);
    expect(during.find((r) => r.kind === "deployment.reply")!.attempts).toBeLessThanOrEqual(1);
    expect(during.find((r) => r.kind === "deployment.notify")!.attempts).toBeGreaterThan(
      RETRY.attempts,
    );
    expect(smtp.messages).toHaveLength(0);
    expect(tracker.requests).toHaveLength(0);

    // The server comes back on the same port; nobody presses Retry.
    await smtpBack();
    const outageMs = Date.now() - downAt;
    await waitFor(
      "the deployment to complete",
      async () =>
        (await db.deploymentRecord.findUnique({ where: { id: d.deploymentId } }))?.state ===
        "COMPLETED",
      30_000,
    );
    await sleep(500);

    // Each effect exactly once, counted at the peers.
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual([
      "cacert-sysadm@lists.example.org",
      "cacert-systemlog@lists.example.org",
    ]);
    expect(new Set(smtp.messages.map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1])).size).toBe(2);
    expect(tracker.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "PATCH /mantis/api/rest/issues/1234",
      "POST /mantis/api/rest/issues/1234/notes",
    ]);
    expect(sftp.uploads() - uploadsBefore).toBe(1);

    const after = await db.outbox.findMany();
    expect(
      after.every((r) => r.state === "DONE" && r.waitingFor === null && r.lastError === null),
    ).toBe(true);
    expect(after.find((r) => r.kind === "deployment.bug-update")!.attempts).toBe(1);
    expect(after.find((r) => r.kind === "deployment.reply")!.attempts).toBe(1);
    const steps = await db.deploymentStep.findMany({
      where: { recordId: d.deploymentId, number: { gte: 10 } },
      orderBy: { number: "asc" },
    });
    expect(steps.map((s) => s.status)).toEqual(["DONE", "DONE", "DONE", "DONE"]);
    const worker = await db.auditEvent.findMany({ where: { actorLabel: "worker" } });
    expect(worker.map((e) => e.action).sort()).toEqual([
      "deployment.state",
      "deployment.step",
      "deployment.step",
      "deployment.step",
      "deployment.step",
    ]);
    expect(await db.auditEvent.count({ where: { action: "outbox.retried" } })).toBe(0);
    console.log(
      `mail outage: SMTP refused connections for ${outageMs} ms (whole retry schedule ${WHOLE_SCHEDULE_MS} ms); 2 mails, 2 tracker calls, 1 upload; 0 lost, 0 doubled`,
    );
  }, 90_000);

  it("a permanent error still fails at once, while the others wait", async () => {
    // No assessment-team address: the reply (step 12) can never be sent, whatever the server does.
    await configure(null);
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    await smtpDown();
    await d.finish();
    const failed = await waitFor("the reply to fail", async () =>
      db.outbox.findFirst({ where: { kind: "deployment.reply", state: "FAILED" } }),
    );
    expect(failed.attempts).toBe(1);
    expect(failed.waitingFor).toBeNull();
    expect(failed.lastError).toMatch(/has no assessment team address configured/);
    const notify = await waitFor("step 10 to wait for the mail server", async () => {
      const r = await row("deployment.notify");
      return r.waitingFor ? r : null;
    });
    expect(notify.state).toBe("PENDING");
    expect(notify.waitingFor).toMatch(/^the mail server to answer/);

    await smtpBack();
    await waitFor(
      "steps 10 and 11 to be done",
      async () =>
        (await db.outbox.count({
          where: { kind: { in: ["deployment.notify", "deployment.bug-update"] }, state: "DONE" },
        })) === 2,
    );
    // This deployment's mails (a job of an earlier test may still be finishing): step 10's only.
    expect(smtp.messages.filter((m) => m.raw.includes(d.deploymentId))).toHaveLength(1);
    expect((await row("deployment.reply")).state).toBe("FAILED");
  });

  it("an effect that fails for another reason still spends its retries and is FAILED after the last", async () => {
    await configure();
    // Step 7 named a tarball nobody copied to TARBALL_DIR yet: worth retrying, but not a wait.
    const d = await deploymentUpToStep9("webdb", "not-copied-yet.tar.gz", "1234", TARBALL_SHA);
    await d.finish();
    const failed = await waitFor("the mirror to fail", async () =>
      db.outbox.findFirst({ where: { kind: "deployment.mirror", state: "FAILED" } }),
    );
    expect(failed.attempts).toBe(RETRY.attempts);
    expect(failed.waitingFor).toBeNull();
    expect(failed.lastError).toMatch(/not-copied-yet\.tar\.gz/);
  });
});
