import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { db } from "../lib/db";
import { resetDatabase } from "../test/reset";
import { makePerson } from "../test/factories";
import { signInWithPassword } from "../lib/server/auth/sign-in";
import { startMailRuntime, waitFor } from "../test/workers/mail-runtime";

// Issue 11, finding 4: the owner of a locked account is told by mail, once per lock-out.
let peers: Awaited<ReturnType<typeof startMailRuntime>>;
let smtp: Awaited<ReturnType<typeof startMailRuntime>>["smtp"];

const wrong = (email: string) =>
  signInWithPassword({ credentials: { email, password: "not-it" }, address: null }).catch(
    () => null,
  );

beforeAll(async () => {
  peers = await startMailRuntime("signin");
  smtp = peers.smtp;
});

afterAll(async () => {
  await peers?.close();
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
