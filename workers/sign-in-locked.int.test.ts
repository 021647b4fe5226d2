import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pino from "pino";
import { simpleParser } from "mailparser";
import { db } from "../lib/db";
import { env } from "../lib/env";
import { resetDatabase } from "../test/reset";
import { makePerson } from "../test/factories";
import { signInWithPassword } from "../lib/server/auth/sign-in";
import { startRuntime } from "./runtime";
import { startSmtpPeer } from "../peers/smtp-peer";

// Issue 11, finding 4: the owner of a locked account is told by mail, once per lock-out.
const prefix = `pgtest-signin-${randomBytes(4).toString("hex")}`;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let runtime: Awaited<ReturnType<typeof startRuntime>>;

async function waitFor(what: string, fn: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const wrong = (email: string) =>
  signInWithPassword({ credentials: { email, password: "not-it" }, address: null }).catch(
    () => null,
  );

beforeAll(async () => {
  smtp = await startSmtpPeer();
  runtime = await startRuntime({
    redisUrl: env().REDIS_URL,
    prefix,
    retry: { attempts: 3, backoffMs: 100 },
    dispatchEveryMs: 100,
    sweepEveryMs: 60_000,
    ctx: {
      smtpUrl: smtp.url,
      mailFrom: "patchgate@portal.example.org",
      publicUrl: "https://patchgate.example.org",
      secret: () => undefined,
      log: pino({ level: "silent" }),
      timeoutMs: 5_000,
    },
  });
});

afterAll(async () => {
  await runtime?.close();
  await smtp?.stop();
  const redis = new Redis(env().REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

beforeEach(async () => {
  await resetDatabase();
  smtp.messages.length = 0;
});

describe("sign-in lock-out mail", () => {
  it("reaches the account's owner once, however many attempts follow", async () => {
    const ada = await makePerson([], { password: "the-right-password" });
    for (let i = 0; i < 10; i++) await wrong(ada.email);
    await waitFor("the lock-out mail", () => smtp.messages.length === 1);
    const [mail] = smtp.messages;
    expect(mail.to).toEqual([ada.email]);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe("Patchgate: sign-in to your account locked after failed attempts");
    expect(parsed.text).toContain("10 sign-ins to your Patchgate account");
    expect(parsed.text).not.toContain("not-it");

    // Refused attempts during the lock, and a further failure after it, send nothing more.
    for (let i = 0; i < 3; i++) await wrong(ada.email);
    await db.signInThrottle.updateMany({
      where: { key: { startsWith: "signin-lock:" } },
      data: { expire: new Date(Date.now() - 1000) },
    });
    await wrong(ada.email);
    await waitFor(
      "the outbox to drain",
      async () => (await db.outbox.count({ where: { state: "PENDING" } })) === 0,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(1);
  });
});
