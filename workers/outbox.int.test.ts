import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { Redis } from "ioredis";
import pino from "pino";
import { db } from "../lib/db";
import { env } from "../lib/env";
import { resetDatabase } from "../test/reset";
import { gpgHome } from "../peers/gpg";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { addSystem } from "../lib/server/systems/add-system";
import { setSystem } from "../lib/server/systems/set-system";
import { retryOutbox } from "../lib/server/outbox/retry-outbox";
import { makePerson } from "../test/factories";
import { GET as portalKeyRoute } from "../app/api/portal-key/route";
import { startRuntime } from "./runtime";
import { startSmtpPeer } from "../peers/smtp-peer";
import { startTrackerPeer } from "../peers/tracker-peer";
import { startSftpPeer } from "../peers/sftp-peer";
import { splitSigned } from "../peers/mime-parts";
import { deploymentUpToStep9, failedDeployment } from "../test/workers/deployment";

// The whole worker path against real peers: an SMTP server, an HTTP tracker,
// an SFTP server, real Redis (own key prefix), real Postgres. Effects are
// counted at the peers, not in our tables.
const prefix = `pgtest-${randomBytes(4).toString("hex")}`;
// This file's sender: its SMTP peer refuses every other (see startSmtpPeer's onlyFrom).
const MAIL_FROM = `${prefix}@portal.example.org`;
const TARBALL = "cacert-2026-11-25.tar.gz";
const tarballDir = mkdtempSync(path.join(tmpdir(), "patchgate-tarballs-"));
const tarballBytes = randomBytes(200_000);
const TARBALL_SHA = createHash("sha256").update(tarballBytes).digest("hex");
const keyDir = mkdtempSync(path.join(tmpdir(), "patchgate-sshkey-"));

let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let tracker: Awaited<ReturnType<typeof startTrackerPeer>>;
let sftp: Awaited<ReturnType<typeof startSftpPeer>>;
let runtime: Awaited<ReturnType<typeof startRuntime>>;

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

const completed = (deploymentId: string) =>
  waitFor(
    "the deployment to complete",
    async () =>
      (await db.deploymentRecord.findUnique({ where: { id: deploymentId } }))?.state ===
      "COMPLETED",
  );

async function configure(
  slug: string,
  tracker_: "MANTIS" | "WEBHOOK",
  hostKey = sftp.hostFingerprint,
) {
  const system = await db.targetSystem.update({
    where: { slug },
    data: {
      systemLogAddress: "cacert-systemlog@lists.example.org",
      assessmentTeamAddress: "cacert-sysadm@lists.example.org",
      trackerKind: tracker_,
      trackerUrl: tracker_ === "MANTIS" ? `${tracker.base}/mantis` : `${tracker.base}/webhook`,
      trackerSecretEnv: tracker_ === "MANTIS" ? "TEST_MANTIS_TOKEN" : "TEST_WEBHOOK_SECRET",
    },
  });
  await db.mirrorTarget.create({
    data: {
      systemId: system.id,
      url: `sftp://mirror@127.0.0.1:${sftp.port}/test1`,
      hostKeySha256: hostKey,
      privateKeyPath: path.join(keyDir, "id"),
    },
  });
}

beforeAll(async () => {
  // This vitest worker's database may still hold the outbox rows of the file it ran before:
  // the dispatcher started below would mail them through this file's peer (seen in CI: a third
  // mail in a test that expects two).
  await resetDatabase();
  smtp = await startSmtpPeer(0, { onlyFrom: MAIL_FROM });
  tracker = await startTrackerPeer({
    mantisToken: "mantis-token-123",
    webhookSecret: "webhook-secret-xyz",
  });
  sftp = await startSftpPeer();
  writeFileSync(path.join(keyDir, "id"), sftp.clientPrivateKey, { mode: 0o600 });
  writeFileSync(path.join(tarballDir, TARBALL), tarballBytes);
  const secrets: Record<string, string> = {
    TEST_MANTIS_TOKEN: "mantis-token-123",
    TEST_WEBHOOK_SECRET: "webhook-secret-xyz",
  };
  runtime = await startRuntime({
    redisUrl: env().REDIS_URL,
    prefix,
    retry: { attempts: 8, backoffMs: 200 },
    dispatchEveryMs: 100,
    sweepEveryMs: 1_000,
    staleAfterMs: 2_000,
    concurrency: 8,
    ctx: {
      smtpUrl: smtp.url,
      mailFrom: MAIL_FROM,
      publicUrl: "https://patchgate.example.org",
      tarballDir,
      secret: (n) => secrets[n],
      log: pino({ level: "silent" }),
      timeoutMs: 5_000,
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
  smtp.messages.length = 0;
  tracker.requests.length = 0;
  rmSync(path.join(sftp.root, "test1"), { recursive: true, force: true });
  mkdirSync(path.join(sftp.root, "test1"));
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
});

describe("the worker steps 10–13", () => {
  it("sends a PGP/MIME mail gpg verifies, updates MantisBT, mirrors and checks the tarball, and completes the record", async () => {
    await configure("webdb", "MANTIS");
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    const t0 = Date.now();
    await d.finish();
    await completed(d.deploymentId);

    // Mail: exactly two, the notification to the list and the reply to the assessment team.
    expect(smtp.messages.map((m) => m.to)).toEqual(
      expect.arrayContaining([
        ["cacert-systemlog@lists.example.org"],
        ["cacert-sysadm@lists.example.org"],
      ]),
    );
    // Listed by recipient and subject, so a failure says which mail came in addition.
    expect(
      smtp.messages.map((m) => `${m.to.join(",")}: ${/^Subject: (.*)$/im.exec(m.raw)?.[1]}`),
    ).toHaveLength(2);
    const notify = smtp.messages.find((m) => m.to[0] === "cacert-systemlog@lists.example.org")!;
    const reply = smtp.messages.find((m) => m.to[0] === "cacert-sysadm@lists.example.org")!;
    console.log(
      `latency step 9 commit -> notification delivered: ${notify.at - t0} ms; -> completed record: ${Date.now() - t0} ms`,
    );

    const parsed = await simpleParser(notify.raw);
    expect(parsed.subject).toBe("[webdb] Patch #1 installed: Fix domain listing (bug #1234)");
    expect(parsed.text).toContain(`New source tarball: ${TARBALL}`);
    expect(parsed.text).toContain(
      'Fix for bug #1234\n"If I delete Domains, no Servercerts are listed".',
    );
    expect(parsed.attachments.map((a) => a.contentType)).toContain("application/pgp-signature");
    const { signed, signature, contentType } = splitSigned(notify.raw);
    expect(contentType).toMatch(
      /^multipart\/signed;.*micalg=pgp-sha(256|512); protocol="application\/pgp-signature"/,
    );

    // P7: the notification is the critical admin's own signed mail. Stock GnuPG 2.2, given
    // only the admin's public key, verifies the part; the portal key did not sign it.
    const adminKey = await db.pgpKey.findFirstOrThrow({ where: { userId: d.admin.id } });
    expect(notify.raw).toMatch(new RegExp(`^From: ".* via Patchgate" <${MAIL_FROM}>$`, "m"));
    expect(notify.raw).toMatch(/^Reply-To: /m);
    expect(parsed.text).toContain(
      "signed with the OpenPGP key of the critical admin who installed",
    );
    const published = await (await portalKeyRoute()).text();
    const fingerprint = (await db.portalKey.findUniqueOrThrow({ where: { id: "portal" } }))
      .fingerprint;
    const g = gpgHome();
    try {
      g.gpg(["--import"], adminKey.armored);
      writeFileSync(path.join(g.home, "signed.eml"), signed, "ascii");
      writeFileSync(path.join(g.home, "sig.asc"), signature);
      const status = g.gpg([
        "--status-fd",
        "1",
        "--verify",
        path.join(g.home, "sig.asc"),
        path.join(g.home, "signed.eml"),
      ]);
      expect(status).toContain("[GNUPG:] GOODSIG");
      expect(status).toContain(`[GNUPG:] VALIDSIG ${d.admin.fingerprint}`);
      g.gpg(["--import"], published);
      // One changed byte in the signed part and gpg refuses it.
      writeFileSync(
        path.join(g.home, "signed.eml"),
        signed.replace("Fix domain", "Fix d0main"),
        "ascii",
      );
      expect(() =>
        g.gpg(["--verify", path.join(g.home, "sig.asc"), path.join(g.home, "signed.eml")]),
      ).toThrow(/BAD signature/);
      // The reply is signed too, and forwards the notification byte for byte.
      const r = splitSigned(reply.raw);
      writeFileSync(path.join(g.home, "reply.eml"), r.signed, "ascii");
      writeFileSync(path.join(g.home, "reply.asc"), r.signature);
      // The portal's own notices (the reply) stay signed with the portal key.
      expect(
        g.gpg([
          "--status-fd",
          "1",
          "--verify",
          path.join(g.home, "reply.asc"),
          path.join(g.home, "reply.eml"),
        ]),
      ).toContain(`[GNUPG:] VALIDSIG ${fingerprint}`);
      expect(r.signed).toMatch(/It was installed on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
      expect(r.signed).toContain("Content-Type: message/rfc822");
      expect(r.signed).toContain(notify.raw.replace(/(\r\n)+$/, ""));
    } finally {
      g.cleanup();
    }

    // MantisBT: status set to resolved, one note pointing at the notification, shapes accepted.
    expect(tracker.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "PATCH /mantis/api/rest/issues/1234",
      "POST /mantis/api/rest/issues/1234/notes",
    ]);
    expect(tracker.requests.every((r) => r.problems.length === 0)).toBe(true);
    expect(JSON.parse(tracker.requests[0].body)).toEqual({ status: { name: "resolved" } });
    const note = JSON.parse(tracker.requests[1].body).text;
    expect(note).toContain(`<patchgate.notify.${d.deploymentId}@portal.example.org>`);
    // No archive URL configured: the note links the deployment record.
    expect(note).toContain(
      `Deployment record: https://patchgate.example.org/patches/${d.patch.id}/deployment`,
    );

    // SFTP: the file is on the server with the right hash.
    const mirrored = readFileSync(path.join(sftp.root, "test1", TARBALL));
    const sha = createHash("sha256").update(tarballBytes).digest("hex");
    expect(createHash("sha256").update(mirrored).digest("hex")).toBe(sha);

    // The record: steps 10–13 DONE with evidence, audited by the worker.
    const steps = await db.deploymentStep.findMany({
      where: { recordId: d.deploymentId, number: { gte: 10 } },
      orderBy: { number: "asc" },
    });
    expect(steps.map((s) => s.status)).toEqual(["DONE", "DONE", "DONE", "DONE"]);
    expect(steps[0].evidence).toMatchObject({
      messageId: `<patchgate.notify.${d.deploymentId}@portal.example.org>`,
    });
    expect(steps[1].evidence).toMatchObject({
      tracker: "mantis",
      status: { http: 200 },
      note: { http: 201 },
    });
    expect(steps[3].evidence).toMatchObject({
      tarball: TARBALL,
      sha256: sha,
      servers: [{ sha256: sha, verified: true }],
    });
    const events = await db.auditEvent.findMany({
      where: { actorLabel: "worker" },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual([
      "deployment.step",
      "deployment.step",
      "deployment.step",
      "deployment.step",
      "deployment.state",
    ]);
    expect(await db.outbox.count({ where: { state: "DONE" } })).toBe(4);
  });

  it("tells the assessment team of a failed apply with the back-out and whether the web server runs again (P5)", async () => {
    await configure("webdb", "MANTIS");
    await failedDeployment("webdb", true, {
      output: "Hunk #1 FAILED at 10.",
      backOutOutput: "patching file www/account.php (reversed)",
      webServerRunning: true,
    });
    const mail = await waitFor("the failed-apply notice", async () => smtp.messages[0]);
    const text = (await simpleParser(mail.raw)).text ?? "";
    expect(text).toContain("Hunk #1 FAILED at 10.");
    expect(text).toContain(
      "Back-out (output of the reverse apply):\npatching file www/account.php (reversed)",
    );
    expect(text).toContain("The web server was stopped at step 4 and runs again.");

    smtp.messages.length = 0;
    await failedDeployment("webdb", false, { output: "Hunk #2 FAILED", nothingChanged: true });
    const second = await waitFor("the second notice", async () => smtp.messages[0]);
    const text2 = (await simpleParser(second.raw)).text ?? "";
    expect(text2).toContain("Back-out: nothing was changed");
    expect(text2).toContain("The web server was not stopped.");
  });

  it("signs the webhook with HMAC-SHA256 over timestamp and body, linking the list archive", async () => {
    await configure("webdb", "WEBHOOK");
    await setSystem({
      actor: CLI_BOOTSTRAP,
      slug: "webdb",
      listArchiveUrl: "https://lists.example.org/search?q=msgid:{messageId}",
    });
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    await d.finish();
    await completed(d.deploymentId);
    expect(tracker.requests).toHaveLength(1);
    expect(tracker.requests[0].problems).toEqual([]);
    expect(tracker.requests[0].headers["x-patchgate-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(tracker.requests[0].body)).toMatchObject({
      event: "bug.solved",
      bugId: "1234",
      status: "Solved?",
    });
    expect(JSON.parse(tracker.requests[0].body).note).toContain(
      `In the list archive: https://lists.example.org/search?q=msgid:patchgate.notify.${d.deploymentId}%40portal.example.org`,
    );
  });

  it("refuses to mirror a tarball whose bytes differ from the hash step 7 recorded", async () => {
    await configure("webdb", "MANTIS");
    const other = "cacert-other.tar.gz";
    writeFileSync(path.join(tarballDir, other), Buffer.from("not the tarball that was hashed"));
    const d = await deploymentUpToStep9("webdb", other, "1234", TARBALL_SHA);
    const uploadsBefore = sftp.uploads();
    await d.finish();
    const row = await waitFor("the mirror row to fail", async () =>
      db.outbox.findFirst({ where: { kind: "deployment.mirror", state: "FAILED" } }),
    );
    expect(row.lastError).toMatch(
      new RegExp(
        `has SHA-256 [0-9a-f]{64}, not the ${TARBALL_SHA} recorded at step 7: not mirrored`,
      ),
    );
    expect(sftp.uploads()).toBe(uploadsBefore);
    expect(existsSync(path.join(sftp.root, "test1", other))).toBe(false);
    expect(
      (
        await db.deploymentStep.findFirstOrThrow({
          where: { recordId: d.deploymentId, number: 13 },
        })
      ).status,
    ).toBe("PENDING");

    // The admin's upload of the right bytes (stored by their hash) is what the worker mirrors, under the recorded name.
    mkdirSync(path.join(tarballDir, "uploaded"), { recursive: true });
    writeFileSync(path.join(tarballDir, "uploaded", TARBALL_SHA), tarballBytes);
    const admin = await makePerson(["ADMIN"]);
    await retryOutbox({ actor: admin, outboxId: row.id });
    await completed(d.deploymentId);
    expect(readFileSync(path.join(sftp.root, "test1", other))).toEqual(tarballBytes);
    rmSync(path.join(tarballDir, "uploaded"), { recursive: true, force: true });
  });

  it("refuses a server whose host key is not the pinned one, and says so on the outbox row", async () => {
    await configure(
      "webdb",
      "MANTIS",
      "SHA256:" + createHash("sha256").update("another key").digest("base64").replace(/=+$/, ""),
    );
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    const uploadsBefore = sftp.uploads();
    await d.finish();
    const row = await waitFor("the mirror row to fail", async () => {
      const r = await db.outbox.findFirst({
        where: { kind: "deployment.mirror", state: "FAILED" },
      });
      return r;
    });
    expect(row.lastError).toMatch(/not the pinned .*refused/);
    expect(sftp.uploads()).toBe(uploadsBefore);
    expect(existsSync(path.join(sftp.root, "test1", TARBALL))).toBe(false);
    expect(
      (await db.deploymentRecord.findUniqueOrThrow({ where: { id: d.deploymentId } })).state,
    ).toBe("OPEN");
    const step13 = await db.deploymentStep.findFirstOrThrow({
      where: { recordId: d.deploymentId, number: 13 },
    });
    expect(step13.status).toBe("PENDING");

    // An admin pins the right key and retries the row: the mirror is made, the record completes.
    const admin = await makePerson(["ADMIN"]);
    const tester = await makePerson(["TESTER"]);
    await expect(retryOutbox({ actor: tester, outboxId: row.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await setSystem({
      actor: admin,
      slug: "webdb",
      mirror: {
        url: `sftp://mirror@127.0.0.1:${sftp.port}/test1`,
        hostKeySha256: sftp.hostFingerprint,
        privateKeyPath: path.join(keyDir, "id"),
      },
    });
    await retryOutbox({ actor: admin, outboxId: row.id });
    await expect(retryOutbox({ actor: admin, outboxId: row.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await completed(d.deploymentId);
    expect(existsSync(path.join(sftp.root, "test1", TARBALL))).toBe(true);
    expect(await db.mirrorTarget.count()).toBe(1);
    expect(
      (
        await db.auditEvent.findMany({
          where: { action: { in: ["system.updated", "outbox.retried"] } },
        })
      ).map((e) => e.action),
    ).toEqual(["system.updated", "outbox.retried"]);
  });
});

describe("faults, counted at the peers", () => {
  it("SMTP down, then back: each mail arrives exactly once", async () => {
    await configure("webdb", "MANTIS");
    await smtp.stop();
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    await d.finish();
    await waitFor(
      "a failed try against the stopped SMTP server",
      async () =>
        (await db.outbox.findFirst({
          // A refused connection is a wait, not an error (docs/workers.md "Waiting effects").
          where: { kind: "deployment.notify", attempts: { gte: 2 }, waitingFor: { not: null } },
        })) !== null,
    );
    expect(smtp.messages).toHaveLength(0);
    await smtp.start();
    await completed(d.deploymentId);
    expect(smtp.messages).toHaveLength(2);
    expect(new Set(smtp.messages.map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1])).size).toBe(2);
  });

  it("a job delivered again after its effect (crash before the row was marked) does the effect once", async () => {
    await configure("webdb", "MANTIS");
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    await d.finish();
    await completed(d.deploymentId);
    const before = {
      mails: smtp.messages.length,
      tracker: tracker.requests.length,
      uploads: sftp.uploads(),
    };
    // As if the worker died after each effect and before its row turned DONE: every row runs again.
    await db.outbox.updateMany({ data: { state: "PENDING", enqueuedAt: null, doneAt: null } });
    await waitFor(
      "the rows to be done again",
      async () => (await db.outbox.count({ where: { state: "DONE" } })) === 4,
    );
    // And the very same job id twice more, straight into the queue.
    const notify = await db.outbox.findFirstOrThrow({ where: { kind: "deployment.notify" } });
    await db.outbox.update({ where: { id: notify.id }, data: { state: "PENDING" } });
    await runtime.queue.add("deployment.notify", { outboxId: notify.id }, { jobId: notify.id });
    await runtime.queue.add("deployment.notify", { outboxId: notify.id }, { jobId: notify.id });
    await waitFor(
      "the notify row to be done",
      async () =>
        (await db.outbox.findUniqueOrThrow({ where: { id: notify.id } })).state === "DONE",
    );
    await new Promise((r) => setTimeout(r, 300));
    expect({
      mails: smtp.messages.length,
      tracker: tracker.requests.length,
      uploads: sftp.uploads(),
    }).toEqual(before);
    expect(await db.auditEvent.count({ where: { actorLabel: "worker" } })).toBe(5);
  });

  it("bad job data and a bad outbox payload fail clearly, and the worker keeps working", async () => {
    const job = await runtime.queue.add("deployment.notify", { outboxId: 42 } as never);
    const failed = await waitFor("the bad job to fail", async () =>
      (await runtime.queue.getJobState(job.id!)) === "failed"
        ? runtime.queue.getJob(job.id!)
        : null,
    );
    expect(failed!.failedReason).toMatch(/bad job data: outboxId/);
    expect(failed!.attemptsMade).toBe(1);
    const row = await db.outbox.create({
      data: { kind: "deployment.notify", payload: { deployment: 1 }, dedupeKey: "bad-payload" },
    });
    const bad = await waitFor("the bad row to fail", async () =>
      db.outbox.findFirst({ where: { id: row.id, state: "FAILED" } }),
    );
    expect(bad.lastError).toMatch(/bad outbox payload: deploymentId/);
    expect(runtime.worker.isRunning()).toBe(true);

    await configure("webdb", "MANTIS");
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    await d.finish();
    await completed(d.deploymentId);
  });

  it("throughput of the mail path: N failed-apply notices to the local SMTP server", async () => {
    await configure("webdb", "MANTIS");
    const d = await deploymentUpToStep9("webdb", TARBALL, "1234", TARBALL_SHA);
    const record = await db.deploymentRecord.findUniqueOrThrow({ where: { id: d.deploymentId } });
    const N = 100;
    const ids = Array.from({ length: N }, (_, i) => `bench-${prefix}-${i}`);
    await db.deploymentRecord.createMany({
      data: ids.map((id) => ({
        id,
        patchId: record.patchId,
        revisionId: record.revisionId,
        procedure: "WEBDB" as const,
        openedById: record.openedById,
      })),
    });
    // Warm the portal key and the SMTP pool so the numbers are the steady state.
    await db.outbox.create({
      data: { kind: "patch.apply-failed", payload: { deploymentId: ids[0] }, dedupeKey: "warm" },
    });
    await waitFor("the warm-up mail", async () => smtp.messages.length === 1);
    const t0 = Date.now();
    await db.outbox.createMany({
      data: ids.slice(1).map((id) => ({
        kind: "patch.apply-failed",
        payload: { deploymentId: id },
        dedupeKey: `bench:${id}`,
      })),
    });
    await waitFor("all mails", async () => smtp.messages.length === N, 60_000);
    const seconds = (Date.now() - t0) / 1000;
    console.log(
      `mail throughput: ${N - 1} signed mails in ${seconds.toFixed(2)} s = ${((N - 1) / seconds).toFixed(1)} mails/s (concurrency 8, one Redis, one Postgres)`,
    );
    expect(new Set(smtp.messages.map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1])).size).toBe(N);
  });
});
