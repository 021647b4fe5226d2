import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import pino from "pino";
import { db } from "../lib/db";
import { resetDatabase } from "../test/reset";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { addSystem } from "../lib/server/systems/add-system";
import { startRuntime } from "./runtime";
import { startGatedSmtpPeer } from "../test/workers/gated-smtp-peer";
import { startRedisProcess } from "../test/workers/redis-process";
import { killWorkerProcesses, startWorkerProcess } from "../test/workers/worker-process";
import { deploymentUpToStep9 } from "../test/workers/deployment";
import type { TMailReceipt } from "./mail/send-once";

// The two faults that need a process to die: Redis and the worker itself.
// Effects are counted at the SMTP peer: a mail counts once its 250 went out.
// Both use a redis-server of this file's own (never the shared one), killed
// with SIGKILL and no persistence, so whatever it held is gone.
const MAIL_FROM = "patchgate@faults.example.org";
const PUBLIC_URL = "https://patchgate.example.org";
const TEAM = "cacert-sysadm@lists.example.org";
// The killed worker's job is claimed until its lock runs out; production keeps BullMQ's 30 s.
const LOCK_MS = 3_000;

let redis: Awaited<ReturnType<typeof startRedisProcess>>;

async function waitFor(
  what: string,
  fn: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  detail?: () => string,
) {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${detail ? `\n${detail()}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const prefixOf = (what: string) => `pgtest-${what}-${randomBytes(4).toString("hex")}`;
const applyFailedId = (deploymentId: string) =>
  `<patchgate.apply-failed.${deploymentId}@faults.example.org>`;

/**
 * Failed-apply notices (one signed mail each to the assessment team) for `n`
 * deployment records of one real patch. Returns the Message-IDs owed.
 */
async function owedNotices(
  base: { deploymentId: string },
  n: number,
  tag: string,
): Promise<string[]> {
  const record = await db.deploymentRecord.findUniqueOrThrow({ where: { id: base.deploymentId } });
  const ids = Array.from({ length: n }, (_, i) => `${tag}-${i}-${randomBytes(3).toString("hex")}`);
  await db.deploymentRecord.createMany({
    data: ids.map((id) => ({
      id,
      patchId: record.patchId,
      revisionId: record.revisionId,
      procedure: record.procedure,
      openedById: record.openedById,
    })),
  });
  await db.outbox.createMany({
    data: ids.map((id) => ({
      kind: "patch.apply-failed",
      payload: { deploymentId: id },
      dedupeKey: `apply-failed:${id}`,
    })),
  });
  return ids.map(applyFailedId);
}

beforeAll(async () => {
  redis = await startRedisProcess();
});

afterAll(async () => {
  await killWorkerProcesses();
  await redis?.kill();
});

beforeEach(async () => {
  await resetDatabase();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
  await db.targetSystem.update({ where: { slug: "webdb" }, data: { assessmentTeamAddress: TEAM } });
});

describe("faults that kill a process, counted at the SMTP peer", () => {
  it("Redis SIGKILLed in the middle and started empty: the sweep re-enqueues the lost jobs, every mail arrives once", async () => {
    // Slow answers and two at a time, so most jobs are still waiting in Redis when it dies.
    const smtp = await startGatedSmtpPeer({ delayMs: 100 });
    const logs: string[] = [];
    const runtime = await startRuntime({
      redisUrl: redis.url,
      prefix: prefixOf("redis"),
      retry: { attempts: 8, backoffMs: 200 },
      concurrency: 2,
      dispatchEveryMs: 100,
      sweepEveryMs: 500,
      staleAfterMs: 2_000,
      ctx: {
        smtpUrl: smtp.url,
        mailFrom: MAIL_FROM,
        publicUrl: PUBLIC_URL,
        secret: () => undefined,
        log: pino({ level: "warn" }, { write: (s: string) => void logs.push(s) }),
        timeoutMs: 5_000,
      },
    });
    try {
      const base = await deploymentUpToStep9("webdb", "cacert-2026-11-25.tar.gz");
      const before = await owedNotices(base, 20, "before");
      await waitFor("the first mails", () => smtp.delivered.length >= 4);

      await redis.kill();
      const killedAt = new Date();
      // Rows whose job existed only in the dead Redis: still PENDING, already enqueued.
      const lost = await db.outbox.findMany({
        where: { state: "PENDING", enqueuedAt: { not: null } },
        select: { id: true },
      });
      expect(lost.length).toBeGreaterThan(5);
      // State changes go on while Redis is away: their rows wait in Postgres.
      const during = await owedNotices(base, 5, "during");
      await waitFor("a dispatch to fail against the dead Redis", () =>
        logs.some((l) => l.includes("dispatch failed")),
      );

      await redis.start();
      await waitFor(
        "every outbox row to be DONE",
        async () => (await db.outbox.count({ where: { state: { not: "DONE" } } })) === 0,
        30_000,
        () => logs.join(""),
      );
      await waitFor("the queue to drain", async () => {
        const c = await runtime.queue.getJobCounts("active", "waiting", "delayed", "prioritized");
        return Object.values(c).every((n) => n === 0);
      });

      // Nothing lost, nothing twice: exactly the owed Message-IDs, each once, at the peer.
      const delivered = smtp.delivered.map((m) => m.messageId);
      expect(delivered.slice().sort()).toEqual([...before, ...during].sort());
      expect(smtp.delivered.every((m) => m.to.length === 1 && m.to[0] === TEAM)).toBe(true);
      // The lost jobs came back through the sweep (re-enqueued after the restart), not by luck.
      const requeued = await db.outbox.count({
        where: { id: { in: lost.map((r) => r.id) }, enqueuedAt: { gt: killedAt } },
      });
      expect(requeued).toBeGreaterThan(0);
      console.log(
        `redis restart: ${lost.length} rows had their job only in the killed Redis, ${requeued} re-enqueued by the sweep, ${during.length} written while Redis was down; ${delivered.length} mails delivered, ${new Set(delivered).size} distinct`,
      );
    } finally {
      await runtime.close();
      await smtp.close();
    }
  }, 60_000);

  it("the worker SIGKILLed while its mail waits for the SMTP 250, then restarted: the mail is delivered exactly once", async () => {
    const smtp = await startGatedSmtpPeer();
    const workerEnv = {
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_URL: redis.url,
      BULLMQ_PREFIX: prefixOf("kill"),
      SMTP_URL: smtp.url,
      MAIL_FROM,
      PUBLIC_URL,
      PORTAL_KEY_PASSPHRASE: "faults-test-portal-passphrase",
      WORKER_LOCK_MS: String(LOCK_MS),
    };
    try {
      const base = await deploymentUpToStep9("webdb", "cacert-2026-11-25.tar.gz");
      const [owed] = await owedNotices(base, 1, "kill");
      const row = await db.outbox.findFirstOrThrow({
        where: { kind: "patch.apply-failed", state: "PENDING" },
      });

      const held = smtp.holdNext();
      const first = startWorkerProcess(workerEnv);
      // The worker is in the middle of the effect: the message is at the server, the answer not given.
      const h = await Promise.race([
        held,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`the worker never sent the mail:\n${first.output()}`)),
            30_000,
          ),
        ),
      ]);
      expect(h.messageId).toBe(owed);
      const prepared = await db.effectReceipt.findFirstOrThrow({ where: { outboxId: row.id } });
      expect((prepared.result as TMailReceipt).status).toBe("prepared");

      expect(await first.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
      // No 250 went out: the server must not deliver it (here: it answers 451 to nobody).
      h.refuse();
      expect(smtp.delivered).toHaveLength(0);
      expect((await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).state).toBe("PENDING");

      // Restarted, the worker finds the job stalled (its lock expired with the dead process) and runs it again.
      const t0 = Date.now();
      const second = startWorkerProcess(workerEnv);
      await waitFor(
        "the row to be DONE after the restart",
        async () => (await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).state === "DONE",
        10 * LOCK_MS + 10_000,
        second.output,
      );
      console.log(
        `worker SIGKILL: row DONE ${((Date.now() - t0) / 1000).toFixed(1)} s after the restart (BullMQ's stalled-job check, lock ${LOCK_MS} ms)`,
      );

      // Exactly one delivered mail with that Message-ID, and the very bytes of the first try.
      expect(smtp.delivered.map((m) => m.messageId)).toEqual([owed]);
      expect(smtp.delivered[0].raw).toBe(h.raw);
      const sent = await db.effectReceipt.findFirstOrThrow({ where: { outboxId: row.id } });
      expect((sent.result as TMailReceipt).status).toBe("sent");
      expect(await db.effectReceipt.count()).toBe(1);

      // And it still stops cleanly on SIGTERM.
      expect(await second.stop("SIGTERM")).toEqual({ code: 0, signal: null });
      expect(smtp.delivered).toHaveLength(1);
    } finally {
      await killWorkerProcesses();
      await smtp.close();
    }
  }, 60_000);
});
