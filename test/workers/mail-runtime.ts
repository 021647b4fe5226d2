import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pino from "pino";
import { env } from "../../lib/env";
import { startRuntime } from "../../workers/runtime";
import { startSmtpPeer } from "../../peers/smtp-peer";
import { resetDatabase } from "../reset";

/** Polls until `fn` holds, or fails the test after `timeoutMs`. */
export async function waitFor(
  what: string,
  fn: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
) {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The worker runtime on its own Redis key prefix, delivering mail to a local
 * SMTP peer, over an empty database; close() stops both and removes the prefix's keys.
 */
export async function startMailRuntime(name: string) {
  // This vitest worker's database may still hold the outbox rows of the file it ran before:
  // a dispatcher started over them would mail that file's people through this peer.
  await resetDatabase();
  const prefix = `pgtest-${name}-${randomBytes(4).toString("hex")}`;
  // Its own sender, the only one its SMTP peer takes (startSmtpPeer's onlyFrom).
  const mailFrom = `${prefix}@portal.example.org`;
  const smtp = await startSmtpPeer(0, { onlyFrom: mailFrom });
  const runtime = await startRuntime({
    redisUrl: env().REDIS_URL,
    prefix,
    retry: { attempts: 3, backoffMs: 100 },
    dispatchEveryMs: 100,
    sweepEveryMs: 60_000,
    ctx: {
      smtpUrl: smtp.url,
      mailFrom,
      publicUrl: "https://patchgate.example.org",
      secret: () => undefined,
      log: pino({ level: "silent" }),
      timeoutMs: 5_000,
    },
  });
  return {
    smtp,
    runtime,
    async close() {
      await runtime.close();
      await smtp.stop();
      const redis = new Redis(env().REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
