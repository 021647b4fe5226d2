import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";
import { startOwnPostgres, type TOwnPostgres } from "./own-postgres";
import { startSmtpPeer } from "../peers/smtp-peer";
import { killWorkerProcesses, startWorkerProcess } from "./workers/worker-process";

// Issue 17, "PostgreSQL restarted during sign-offs". The shared PostgreSQL on
// 5432 serves every other test, so this file starts one of its own
// (test/own-postgres.ts), points the portal's code at it, and stops it with
// `pg_ctl stop -m fast` in the middle of sign-offs sent over the API at
// concurrency 4, then starts it again. The API is the real /api/v1 route
// handlers in this process (test/api-server.ts, as the other API tests run
// them), the worker the real worker process (`npm run start:worker`); neither
// is restarted.

const LANES = 4;
const PATCHES = 20;
const PASSPHRASE = "restart-test-passphrase";
const prefix = `pgtest-${randomBytes(4).toString("hex")}`;

let own: TOwnPostgres;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let api: { url: string; close: () => Promise<void> };
let worker: ReturnType<typeof startWorkerProcess>;
let m: Awaited<ReturnType<typeof load>>;

// Loaded after DATABASE_URL names the test's own server: lib/db reads it once, on import.
async function load() {
  const [
    { db },
    factories,
    signers,
    process_,
    systems,
    actor,
    statements,
    diffs,
    chain,
    apiServer,
  ] = await Promise.all([
    import("../lib/db"),
    import("./factories"),
    import("./signers"),
    import("./process"),
    import("../lib/server/systems/add-system"),
    import("../lib/auth/actor"),
    import("../lib/server/statements/issue-statement"),
    import("./diffs"),
    import("../lib/server/audit/verify-chain"),
    import("./api-server"),
  ]);
  const { submitPatch } = await import("../lib/server/patches/submit-patch");
  return {
    db,
    ...factories,
    ...signers,
    PATCH_FIELDS: process_.PATCH_FIELDS,
    addSystem: systems.addSystem,
    CLI_BOOTSTRAP: actor.CLI_BOOTSTRAP,
    issueStatement: statements.issueStatement,
    sampleDiff: diffs.sampleDiff,
    verifyStoredChain: chain.verifyStoredChain,
    startApiServer: apiServer.startApiServer,
    submitPatch,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  own = await startOwnPostgres();
  const admin = new pg.Client({ connectionString: own.url("postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE patchgate`);
  await admin.end();
  const url = own.url("patchgate");
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.env.DATABASE_URL = url;
  process.env.PORTAL_KEY_PASSPHRASE = PASSPHRASE;
  delete (globalThis as { prisma?: unknown }).prisma;
  m = await load();
  smtp = await startSmtpPeer();
  api = await m.startApiServer();
  worker = startWorkerProcess({
    DATABASE_URL: url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    BULLMQ_PREFIX: prefix,
    SMTP_URL: smtp.url,
    MAIL_FROM: "patchgate@portal.example.org",
    PUBLIC_URL: "https://patchgate.example.org",
    PORTAL_KEY_PASSPHRASE: PASSPHRASE,
    WORKER_LOCK_MS: "2000",
    OUTBOX_BACKOFF_MS: "100",
    OUTBOX_BACKOFF_MAX_MS: "1000",
  });
}, 120_000);

afterAll(async () => {
  const step = async (what: string, fn: () => unknown) => {
    const t = Date.now();
    await fn();
    if (Date.now() - t > 2_000) console.warn(`afterAll: ${what} took ${Date.now() - t} ms`);
  };
  await step("worker", () => killWorkerProcesses());
  await step("api", () => api?.close());
  await step("prisma", () => m?.db.$disconnect());
  await step("smtp", () => smtp?.stop());
  own?.destroy();
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}, 60_000);

type TShot = {
  patchId: string;
  signerId: string;
  token: string;
  body: string;
  /** Every answer this sign-off got, in order. */
  answers: { status: number; code?: string; retryAfter: string | null; at: number }[];
};

async function post(shot: TShot) {
  const res = await fetch(`${api.url}/api/v1/patches/${shot.patchId}/signoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${shot.token}`, "content-type": "application/json" },
    body: shot.body,
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  shot.answers.push({
    status: res.status,
    code: json.error?.code,
    retryAfter: res.headers.get("retry-after"),
    at: Date.now(),
  });
  return res.status;
}

describe("PostgreSQL stopped and started again in the middle of sign-offs", () => {
  it("answers 503 UNAVAILABLE while it is down, writes nothing by halves, and recovers without a restart", async () => {
    const t0 = Date.now();
    // Twenty submitted patches, two assessors: 40 review sign-offs, signed before anything breaks.
    await m.addSystem({ actor: m.CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
    const dev = await m.makeSigner(["DEVELOPER"]);
    const assessors = [await m.makeSigner(["ASSESSOR"]), await m.makeSigner(["ASSESSOR"])];
    const tokens = await Promise.all(assessors.map((a) => m.makeToken(a)));
    const shots: TShot[] = [];
    for (let i = 0; i < PATCHES; i++) {
      const p = await m.submitPatch({
        actor: dev,
        system: "webdb",
        ...m.PATCH_FIELDS,
        title: `Fix ${i}`,
        diff: m.sampleDiff(),
      });
      await m.signoff(dev, p.id, "submit");
      for (const [j, a] of assessors.entries()) {
        const { statement } = await m.issueStatement({
          actor: a,
          patchId: p.id,
          kind: "review",
          verdict: "approve",
          comment: `Read it (${i}).`,
        });
        const signature = await m.detachSign(a.privateKey, statement);
        shots.push({
          patchId: p.id,
          signerId: a.id,
          token: tokens[j],
          body: JSON.stringify({ statement, signature }),
          answers: [],
        });
      }
    }

    // Four lanes send the sign-offs one after another, spaced so the outage falls among them.
    let next = 0;
    const lanes = Array.from({ length: LANES }, async () => {
      while (next < shots.length) {
        const shot = shots[next++];
        await post(shot);
        await sleep(500);
      }
    });
    await waitFor("a few sign-offs to be recorded", async () =>
      shots.filter((s) => s.answers[0]?.status === 201).length >= LANES ? true : null,
    );
    own.stop("fast");
    const downAt = Date.now();
    // While it is down: a request of our own, to see the answer in full.
    const probe = await fetch(`${api.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${tokens[0]}` },
    });
    expect(probe.status).toBe(503);
    expect(probe.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await probe.json()).toEqual({
      error: {
        code: "UNAVAILABLE",
        message: "The portal's database is unreachable; nothing was changed. Try again shortly.",
      },
    });
    // /api/health tells a load balancer the same.
    const { GET: health } = await import("../app/api/health/route");
    const h = await health();
    expect(h.status).toBe(503);
    expect(await h.json()).toMatchObject({ db: "down" });
    await sleep(3_000);
    own.start();
    const upAt = Date.now();
    await Promise.all(lanes);

    // Every answer is a 201 or a 503 UNAVAILABLE with Retry-After: nothing else, no 500.
    const first = shots.map((s) => s.answers[0]);
    for (const { at: _at, ...a } of first)
      if (a.status !== 201)
        expect(a).toEqual({ status: 503, code: "UNAVAILABLE", retryAfter: expect.any(String) });
    const recorded = shots.filter((s) => s.answers[0].status === 201);
    const refused = shots.filter((s) => s.answers[0].status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(recorded.length + refused.length).toBe(shots.length);

    // In the database: each 201 exactly once with its audit event; nothing of any 503.
    const rows = await m.db.signoff.findMany({ where: { kind: "REVIEW" } });
    const key = (s: { patchId: string; signerId: string }) => `${s.patchId}/${s.signerId}`;
    expect(rows.map(key).sort()).toEqual(recorded.map(key).sort());
    const signedEvents = await m.db.auditEvent.findMany({
      where: { action: "patch.signed", payload: { path: ["kind"], equals: "REVIEW" } },
    });
    expect(signedEvents.length).toBe(recorded.length);
    expect(
      new Set(signedEvents.map((e) => (e.payload as { statementId: string }).statementId)),
    ).toEqual(new Set(rows.map((r) => r.statementId)));
    const verdict = await m.verifyStoredChain();
    expect(verdict.ok).toBe(true);

    // The same API process, not restarted, answers again (its pool reconnects by itself)...
    await waitFor("the API to answer again", async () => {
      const r = await fetch(`${api.url}/api/v1/me`, {
        headers: { authorization: `Bearer ${tokens[0]}` },
      });
      return r.status === 200;
    });
    // ...and records each refused sign-off when it is sent again.
    for (const shot of refused) expect(await post(shot)).toBe(201);
    expect(await m.db.signoff.count({ where: { kind: "REVIEW" } })).toBe(shots.length);
    // And a second time is refused (the statement was used), not a second row.
    const again = refused[0] ?? recorded[0];
    expect(await post(again)).toBeGreaterThanOrEqual(400);
    expect(again.answers.at(-1)!.status).toBeLessThan(500);
    expect(await m.db.signoff.count({ where: { kind: "REVIEW" } })).toBe(shots.length);
    expect((await m.verifyStoredChain()).ok).toBe(true);

    // The same worker process, not restarted, works off jobs written after the restart.
    const users = await m.db.user.findMany({ take: 3 });
    await m.db.outbox.createMany({
      data: users.map((u, i) => ({
        kind: "user.sign-in-locked",
        payload: { userId: u.id, auditSeq: String(i + 1) },
        dedupeKey: `restart-test:${u.id}`,
      })),
    });
    await waitFor(
      "the worker to send the mails",
      async () => (await m.db.outbox.count({ where: { state: "DONE" } })) === users.length,
    );
    expect(smtp.messages).toHaveLength(users.length);
    expect(worker.output()).not.toMatch(/worker failed|"level":60/);
    expect(
      await Promise.race([worker.exited.then(() => "exited"), sleep(100).then(() => "running")]),
    ).toBe("running");

    console.log(
      `postgres restart: down ${upAt - downAt} ms (pg_ctl stop -m fast, start); sign-offs attempted ${shots.length} at concurrency ${LANES}: ` +
        `recorded ${recorded.length} (201; ${recorded.filter((s) => s.answers[0].at > upAt).length} of them after the restart), refused ${refused.length} (503 UNAVAILABLE), then all ${refused.length} recorded when sent again; ` +
        `half-written 0; worker mails after the restart ${smtp.messages.length}/${users.length}; ${Date.now() - t0} ms`,
    );
  }, 120_000);
});
