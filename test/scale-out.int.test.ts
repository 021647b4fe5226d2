import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { db } from "../lib/db";
import { env } from "../lib/env";
import { OUTBOX_QUEUE } from "../lib/jobs/queues";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { addSystem } from "../lib/server/systems/add-system";
import { submitPatch } from "../lib/server/patches/submit-patch";
import { issueStatement } from "../lib/server/statements/issue-statement";
import { resetDatabase } from "./reset";
import { makePerson, makeToken } from "./factories";
import { detachSign, makeSigner, signoff, type TSigner } from "./signers";
import { sampleDiff } from "./diffs";
import { PATCH_FIELDS } from "./process";
import { deploymentUpToStep9 } from "./workers/deployment";
import { startGatedSmtpPeer } from "./workers/gated-smtp-peer";
import { killWorkerProcesses, startWorkerProcess } from "./workers/worker-process";
import {
  ensureProductionBuild,
  killAppProcesses,
  signInAttempt,
  signInCookie,
  signOut,
  startAppProcess,
} from "./app-process";
import { startTrackerPeer } from "../peers/tracker-peer";
import { startSftpPeer } from "../peers/sftp-peer";

// Issue 17, scale-out: two `next start` processes of the production build and
// two worker processes (`npm run start:worker`'s command) on one PostgreSQL
// database and the shared Redis (under a key prefix of this file's own, so no
// other test's worker takes these jobs). Nothing is kept in one process's
// memory that the other needs: a session or token from either app works on the
// other, sign-offs spread over both are recorded once each, and a deployment's
// effects happen once at the real peers even with two workers racing for the
// jobs and one of them SIGKILLed in the middle of a mail.

const PREFIX = `pgtest-scale-${randomBytes(4).toString("hex")}`;
const PASSPHRASE = "scale-out-portal-passphrase";
const PUBLIC_URL = "https://patchgate.example.org";
const MAIL_FROM = "patchgate@portal.example.org";
const MANTIS_TOKEN = "mantis-token-scale";
// A killed worker's job is claimed until its lock runs out; production keeps BullMQ's 30 s.
const LOCK_MS = 3_000;
const SIGNOFFS = 200;
const CONCURRENCY = 8;
const PASSWORD = "correct horse battery staple 17";

const tarballDir = mkdtempSync(path.join(tmpdir(), "patchgate-scale-tarballs-"));
const keyDir = mkdtempSync(path.join(tmpdir(), "patchgate-scale-sshkey-"));
const tarball = (name: string) => {
  const bytes = randomBytes(100_000);
  writeFileSync(path.join(tarballDir, name), bytes);
  return { name, sha256: createHash("sha256").update(bytes).digest("hex") };
};

type TApp = Awaited<ReturnType<typeof startAppProcess>>;
type TWorker = ReturnType<typeof startWorkerProcess>;
let apps: TApp[] = [];
let workers: TWorker[] = [];
let smtp: Awaited<ReturnType<typeof startGatedSmtpPeer>>;
let tracker: Awaited<ReturnType<typeof startTrackerPeer>>;
let sftp: Awaited<ReturnType<typeof startSftpPeer>>;
let workerEnv: Parameters<typeof startWorkerProcess>[0];
const figures = { apps: 0, workers: 0, signoffs: 0, replaysRefused: 0, faults: 0 };

async function waitFor(
  what: string,
  fn: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  detail?: () => string,
) {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${detail ? `\n${detail()}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const workerOutput = () => workers.map((w) => `--- worker ${w.pid}\n${w.output()}`).join("\n");

/** The patchgate CLI as an operator runs it, against this file's database. */
function cli(args: string[]) {
  return spawnSync(process.execPath, ["bin/patchgate.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
  });
}

/** Runs `task` over `items`, `n` at a time. */
async function pool<T, R>(items: T[], n: number, task: (item: T, i: number) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i], i);
      }
    }),
  );
  return out;
}

beforeAll(async () => {
  const build = await ensureProductionBuild();
  await resetDatabase();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });

  smtp = await startGatedSmtpPeer();
  tracker = await startTrackerPeer({ mantisToken: MANTIS_TOKEN, webhookSecret: "unused" });
  sftp = await startSftpPeer();
  writeFileSync(path.join(keyDir, "id"), sftp.clientPrivateKey, { mode: 0o600 });
  mkdirSync(path.join(sftp.root, "test1"));
  const system = await db.targetSystem.update({
    where: { slug: "webdb" },
    data: {
      systemLogAddress: "cacert-systemlog@lists.example.org",
      assessmentTeamAddress: "cacert-sysadm@lists.example.org",
      trackerKind: "MANTIS",
      trackerUrl: `${tracker.base}/mantis`,
      trackerSecretEnv: "SCALE_MANTIS_TOKEN",
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

  // What every process shares: the database, Redis (and the prefix), AUTH_SECRET,
  // the portal key's passphrase, PUBLIC_URL and the tarball folder.
  const shared = {
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: env().REDIS_URL,
    BULLMQ_PREFIX: PREFIX,
    PORTAL_KEY_PASSPHRASE: PASSPHRASE,
    PUBLIC_URL,
    TARBALL_DIR: tarballDir,
  };
  workerEnv = {
    ...shared,
    SMTP_URL: smtp.url,
    MAIL_FROM,
    WORKER_LOCK_MS: String(LOCK_MS),
    SCALE_MANTIS_TOKEN: MANTIS_TOKEN,
  };
  const appEnv = { ...shared, AUTH_SECRET: randomBytes(32).toString("base64url") };
  // TEST_APP_PORTS_FROM pins the apps' ports (a shared machine's assigned range); else free ones.
  const from = Number(process.env.TEST_APP_PORTS_FROM) || undefined;
  apps = await Promise.all([0, 1].map((i) => startAppProcess(appEnv, from && from + i)));
  workers = [startWorkerProcess(workerEnv), startWorkerProcess(workerEnv)];
  figures.apps = apps.length;
  figures.workers = workers.length;
  console.log(
    `scale-out: build ${build.buildId} of ${build.builtAt.toISOString()}; apps ${apps.map((a) => a.url).join(", ")}; workers pid ${workers.map((w) => w.pid).join(", ")}`,
  );
}, 600_000);

afterAll(async () => {
  await killAppProcesses();
  await killWorkerProcesses();
  await smtp?.close();
  await tracker?.close();
  await sftp?.close();
  const redis = new Redis(env().REDIS_URL);
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(tarballDir, { recursive: true, force: true });
  rmSync(keyDir, { recursive: true, force: true });
});

describe("two apps and two workers on one database and one Redis", () => {
  it("a session signed in on one app, and an API token, work on both", async () => {
    const ada = await makePerson(["ASSESSOR"], { password: PASSWORD });
    const email = (await db.user.findUniqueOrThrow({ where: { id: ada.id } })).email;
    const [a, b] = apps;

    const cookie = await signInCookie(a.url, email, PASSWORD);
    for (const app of [a, b]) {
      const session = await fetch(`${app.url}/api/auth/session`, { headers: { cookie } });
      expect(((await session.json()) as { user?: { id: string } }).user?.id).toBe(ada.id);
      // A signed-in page renders on either app; without the cookie it sends to /login.
      const page = await fetch(`${app.url}/patches`, { headers: { cookie }, redirect: "manual" });
      expect(page.status).toBe(200);
      const anonymous = await fetch(`${app.url}/patches`, { redirect: "manual" });
      expect(anonymous.status).toBe(307);
      expect(anonymous.headers.get("location")).toMatch(/\/login/);
    }

    // Signed out on the other app: the session row is gone, so it ends on both.
    await signOut(b.url, cookie);
    for (const app of [a, b]) {
      const session = await fetch(`${app.url}/api/auth/session`, { headers: { cookie } });
      expect(await session.json()).toBeNull();
    }

    const token = await makeToken(ada);
    for (const app of [a, b]) {
      const me = await fetch(`${app.url}/api/v1/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      expect(JSON.stringify(await me.json())).toContain(email);
    }
  }, 60_000);

  it("the sign-in throttle counts failures on both apps together", async () => {
    const bert = await makePerson(["TESTER"], { password: PASSWORD });
    const email = (await db.user.findUniqueOrThrow({ where: { id: bert.id } })).email;
    // Ten wrong passwords, alternating between the apps: the tenth locks the account.
    for (let i = 0; i < 10; i++) {
      const r = await signInAttempt(apps[i % 2].url, email, "not the password");
      expect(r.cookie).toBeNull();
    }
    // A memory of its own per app would have counted five each, and let this one in.
    for (const app of apps) {
      const right = await signInAttempt(app.url, email, PASSWORD);
      expect(right.cookie).toBeNull();
      expect(right.location).toMatch(/code=account_locked%3A\d+|code=account_locked:\d+/);
    }
  }, 60_000);

  it(`${SIGNOFFS} sign-offs signed beforehand, spread over both apps ${CONCURRENCY} at a time, are recorded exactly once`, async () => {
    const [dev, a1, a2] = await Promise.all([
      makeSigner(["DEVELOPER"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
    ]);
    const tokens = new Map<string, string>();
    for (const s of [a1, a2]) tokens.set(s.id, await makeToken(s));
    const patches = await pool(Array.from({ length: SIGNOFFS / 2 }), 4, async () => {
      const p = await submitPatch({
        actor: dev,
        system: "webdb",
        ...PATCH_FIELDS,
        diff: sampleDiff(),
      });
      await signoff(dev, p.id, "submit");
      return p;
    });
    // Every statement issued and signed before the first is sent: the two reviews of each patch.
    const signed = await pool(
      patches.flatMap((p) => [a1, a2].map((who) => ({ p, who }))),
      4,
      async ({ p, who }: { p: { id: string }; who: TSigner }) => {
        const { statement } = await issueStatement({
          actor: who,
          patchId: p.id,
          kind: "review",
          verdict: "approve",
        });
        return {
          patchId: p.id,
          who,
          statement,
          signature: await detachSign(who.privateKey, statement),
        };
      },
    );
    const post = (s: (typeof signed)[number], app: TApp) =>
      fetch(`${app.url}/api/v1/patches/${s.patchId}/signoffs`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens.get(s.who.id)}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ statement: s.statement, signature: s.signature }),
      });

    const statuses = await pool(signed, CONCURRENCY, async (s, i) => {
      const r = await post(s, apps[i % 2]);
      return `${r.status}${r.status === 201 ? "" : ` ${await r.text()}`}`;
    });
    expect(statuses.filter((s) => s !== "201")).toEqual([]);
    // Sent again to the other app: a signed statement counts once, wherever it arrives.
    const replays = await pool(signed.slice(0, 20), CONCURRENCY, async (s, i) => {
      const r = await post(s, apps[(i + 1) % 2]);
      return r.status;
    });
    expect(replays.every((s) => s >= 400 && s < 500)).toBe(true);

    const reviews = await db.signoff.findMany({
      where: { patchId: { in: patches.map((p) => p.id) }, kind: "REVIEW" },
      select: { patchId: true, signerId: true, statementId: true },
    });
    expect(reviews).toHaveLength(SIGNOFFS);
    expect(new Set(reviews.map((r) => `${r.patchId}/${r.signerId}`)).size).toBe(SIGNOFFS);
    expect(new Set(reviews.map((r) => r.statementId)).size).toBe(SIGNOFFS);
    // Two approvals each: every patch moved on to its test gate, once.
    const states = await db.patch.groupBy({
      by: ["state"],
      where: { id: { in: patches.map((p) => p.id) } },
      _count: true,
    });
    expect(states).toEqual([{ state: "IN_TEST", _count: SIGNOFFS / 2 }]);
    figures.signoffs = reviews.length;
    figures.replaysRefused = replays.length;
  }, 240_000);

  it("a deployment's mail, tracker update and mirror happen once with both workers, one SIGKILLed mid-mail", async () => {
    const connection = new Redis(env().REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(OUTBOX_QUEUE, { connection, prefix: PREFIX });
    const deployments: string[] = [];
    try {
      // Deployment 1: the notification held at the SMTP server, its worker killed before the 250.
      const t1 = tarball("cacert-2026-12-01.tar.gz");
      const d1 = await deploymentUpToStep9("webdb", t1.name, "1701", t1.sha256);
      deployments.push(d1.deploymentId);
      const held = smtp.holdNext();
      await d1.finish();
      const h = await Promise.race([
        held,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no mail was sent:\n${workerOutput()}`)), 30_000),
        ),
      ]);
      expect(h.messageId).toBe(`<patchgate.notify.${d1.deploymentId}@portal.example.org>`);
      // The process that holds the job, as BullMQ records it (workers/index.ts names each host:pid).
      const active = await queue.getActive();
      const holder = active.find((j) => j.name === "deployment.notify")?.processedBy;
      const victim = workers.find((w) => holder?.endsWith(`:${w.pid}`));
      expect(
        victim,
        `active jobs ${JSON.stringify(active.map((j) => j.processedBy))}`,
      ).toBeDefined();
      // What else the victim held when it died (steps 11–13 run beside step 10).
      const heldByVictim = active.filter((j) => j.processedBy === holder).map((j) => j.name);
      expect(await victim!.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
      figures.faults += 1;
      // No 250 went out: the server does not deliver it.
      h.refuse();
      const survivor = workers.find((w) => w !== victim)!;

      await waitFor(
        "deployment 1 to complete on the surviving worker",
        async () =>
          (await db.deploymentRecord.findUniqueOrThrow({ where: { id: d1.deploymentId } }))
            .state === "COMPLETED",
        10 * LOCK_MS + 30_000,
        workerOutput,
      );
      // The notification was sent again by the survivor, with the very bytes of the first try.
      const notify1 = smtp.delivered.filter((m) => m.messageId === h.messageId);
      expect(notify1).toHaveLength(1);
      expect(notify1[0].raw).toBe(h.raw);
      expect(survivor.output()).not.toMatch(/"level":(50|60)/);

      // Back to two workers (a new process for the killed one), and a deployment with no fault.
      workers = [survivor, startWorkerProcess(workerEnv)];
      figures.workers += 1;
      const t2 = tarball("cacert-2026-12-02.tar.gz");
      const d2 = await deploymentUpToStep9("webdb", t2.name, "1702", t2.sha256);
      deployments.push(d2.deploymentId);
      await d2.finish();
      await waitFor(
        "deployment 2 to complete",
        async () =>
          (await db.deploymentRecord.findUniqueOrThrow({ where: { id: d2.deploymentId } }))
            .state === "COMPLETED",
        // A worker process just started may take the job while a loaded machine still slows it.
        90_000,
        workerOutput,
      );
      await waitFor(
        "the outbox to be done",
        async () => (await db.outbox.count({ where: { state: { not: "DONE" } } })) === 0,
      );

      // Counted at the peers. Per deployment: the notification and the reply to the
      // assessment team, the tracker's status change and note, one upload. And the notice
      // the throttle test's lock-out owes its account holder (one per lock).
      const lockNotices = await db.outbox.count({ where: { kind: "user.sign-in-locked" } });
      const owed = {
        mails: deployments.length * 2 + lockNotices,
        tracker: deployments.length * 2,
        uploads: deployments.length,
      };
      const ids = smtp.delivered.map((m) => m.messageId);
      const distinctMails = new Set(ids).size;
      const trackerCalls = tracker.requests.map((r) => `${r.method} ${r.url}`);
      const distinctTracker = new Set(trackerCalls).size;
      for (const id of deployments)
        expect(ids).toContain(`<patchgate.notify.${id}@portal.example.org>`);
      expect(tracker.requests.every((r) => r.problems.length === 0)).toBe(true);
      expect(trackerCalls.sort()).toEqual(
        [
          "PATCH /mantis/api/rest/issues/1701",
          "POST /mantis/api/rest/issues/1701/notes",
          "PATCH /mantis/api/rest/issues/1702",
          "POST /mantis/api/rest/issues/1702/notes",
        ].sort(),
      );
      expect(
        smtp.delivered.map((m) => `${m.messageId} ${m.to.join(",")}`),
        workerOutput(),
      ).toHaveLength(owed.mails);
      expect(distinctMails).toBe(owed.mails);
      // The mirror writes its receipt after the upload (an overwrite with the same bytes,
      // workers/effects.ts onceAfter): a worker killed between the two has it done again.
      // That repeat is allowed only for the deployment whose mirror job the victim held.
      const uploadsOf = (t: { name: string }) =>
        sftp.uploaded().filter((f) => f.endsWith(`/${t.name}`)).length;
      const mirrorRepeatAllowed = heldByVictim.includes("deployment.mirror");
      expect(uploadsOf(t2)).toBe(1);
      if (mirrorRepeatAllowed) expect([1, 2]).toContain(uploadsOf(t1));
      else expect(uploadsOf(t1)).toBe(1);
      for (const t of [t1, t2])
        expect(
          createHash("sha256")
            .update(readFileSync(path.join(sftp.root, "test1", t.name)))
            .digest("hex"),
        ).toBe(t.sha256);
      const steps = await db.deploymentStep.findMany({
        where: { recordId: { in: deployments }, number: { gte: 10 } },
      });
      expect(steps.map((s) => s.status)).toEqual(Array(steps.length).fill("DONE"));
      expect(steps).toHaveLength(deployments.length * 4);

      const repeatedUploads = sftp.uploads() - owed.uploads;
      const lost =
        owed.mails -
        distinctMails +
        (owed.tracker - distinctTracker) +
        Math.max(0, owed.uploads - sftp.uploads());
      const doubled =
        ids.length -
        distinctMails +
        (trackerCalls.length - distinctTracker) +
        (mirrorRepeatAllowed ? 0 : Math.max(0, repeatedUploads));
      console.log(
        `scale-out effects: ${deployments.length} deployments and ${lockNotices} lock-out notice; mails ${ids.length} delivered (${distinctMails} distinct, ${owed.mails} owed, ${smtp.refused.length} refused mid-kill), tracker ${trackerCalls.length} calls (${owed.tracker} owed), mirror ${sftp.uploads()} uploads (${owed.uploads} owed; the killed worker also held ${heldByVictim.join(", ")}, ${mirrorRepeatAllowed ? `${repeatedUploads} upload repeated after the kill, same bytes` : "no repeat allowed"}); lost ${lost}, doubled ${doubled}`,
      );
      expect(lost).toBe(0);
      expect(doubled).toBe(0);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 210_000);

  it("the audit log written by all four processes verifies (patchgate audit verify)", async () => {
    const run = cli(["audit", "verify"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const events = await db.auditEvent.count();
    console.log(
      `scale-out figures: processes ${figures.apps} apps + ${figures.workers} workers (one restarted after its SIGKILL); sign-offs ${figures.signoffs} recorded once (${figures.replaysRefused} replays refused); faults injected ${figures.faults}; audit ${run.stdout.trim()} (${events} events)`,
    );
  }, 60_000);
});
