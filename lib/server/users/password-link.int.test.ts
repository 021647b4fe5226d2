import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import pino from "pino";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makePerson, makeToken } from "../../../test/factories";
import { startSmtpPeer } from "../../../peers/smtp-peer";
import { sendPasswordLink } from "../../../workers/handlers/password-link";
import type { THandlerCtx } from "../../../workers/handlers/context";
import { verifyPassword } from "../../crypto/password";
import { hashLinkSecret } from "../../crypto/tokens";
import { authenticateToken } from "../tokens/authenticate-token";
import { createUser } from "./create-user";
import { findPasswordLink, setPasswordWithLink } from "./password-link";

let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let ctx: THandlerCtx;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  ctx = {
    smtpUrl: smtp.url,
    mailFrom: "patchgate@portal.example.org",
    publicUrl: "https://patchgate.example.org",
    secret: () => undefined,
    log: pino({ level: "silent" }),
    timeoutMs: 5_000,
  };
});
afterAll(async () => smtp?.stop());
beforeEach(async () => {
  await resetDatabase();
  smtp.messages.length = 0;
});

/** Creates Nina in the portal and runs the queued mail job once; returns the link's secret. */
async function newAccount() {
  const admin = await makePerson(["ADMIN"]);
  const { user } = await createUser({
    actor: admin,
    email: "nina@example.org",
    name: "Nina",
    roles: [],
  });
  const row = await db.outbox.findFirstOrThrow({ where: { kind: "user.password-link" } });
  await sendPasswordLink(ctx, row.id, row.payload as { setupId: string });
  const mail = await simpleParser(smtp.messages.at(-1)!.raw);
  const link = /https:\/\/patchgate\.example\.org\/set-password\/([A-Za-z0-9_-]{43})/.exec(
    mail.text ?? "",
  );
  return { admin, user, row, mail, secret: link?.[1] ?? "" };
}

const choose = (secret: string, next = "ninas-own-password") =>
  setPasswordWithLink({ secret, next, repeat: next });

describe("an account an admin makes in the portal", () => {
  it("has no password the admin knows: the admin may not set one, and the person gets a mailed link", async () => {
    const admin = await makePerson(["ADMIN"]);
    await expect(
      createUser({
        actor: admin,
        email: "x@example.org",
        name: "X",
        roles: [],
        password: "admin-knows-this-1",
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await db.user.count({ where: { email: "x@example.org" } })).toBe(0);

    const { user, row, mail, secret } = await newAccount();
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
    // The outbox row and the job carry ids only; the secret exists only in the mail and as a hash.
    expect(JSON.stringify(row.payload)).not.toContain(secret);
    expect(mail.to).toMatchObject({ text: "nina@example.org" });
    expect(mail.subject).toBe("Your Patchgate account: choose your password");
    expect(secret).toHaveLength(43);
    const setup = await db.passwordSetup.findFirstOrThrow({ where: { userId: user.id } });
    expect(setup.tokenHash).toBe(hashLinkSecret(secret));
    const everything = JSON.stringify(
      [
        await db.passwordSetup.findMany(),
        await db.effectReceipt.findMany(),
        await db.outbox.findMany(),
        await db.auditEvent.findMany(),
      ],
      (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v),
    );
    expect(everything).not.toContain(secret);
    expect(setup.expiresAt.getTime() - Date.now()).toBeGreaterThan(71 * 3600_000);
    expect((await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).state).toBe("DONE");

    // A retried job sends nothing twice.
    await sendPasswordLink(ctx, row.id, row.payload as { setupId: string });
    expect(smtp.messages).toHaveLength(1);
  });

  it("the link sets the password once; then it is dead", async () => {
    const { user, secret } = await newAccount();
    expect((await findPasswordLink(secret))?.user.email).toBe("nina@example.org");
    await expect(setPasswordWithLink({ secret, next: "short", repeat: "short" })).rejects.toThrow(
      /at least 10/,
    );
    await choose(secret);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(after.passwordHash!, "ninas-own-password")).toBe(true);
    expect(
      await db.auditEvent.count({ where: { action: "user.password_set", subjectId: user.id } }),
    ).toBe(1);

    expect(await findPasswordLink(secret)).toBeNull();
    await expect(choose(secret, "someone-elses-pass")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const still = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(still.passwordHash!, "ninas-own-password")).toBe(true);
  });

  it("two uses at once: exactly one wins", async () => {
    const { secret } = await newAccount();
    const results = await Promise.allSettled([
      choose(secret, "first-password-1"),
      choose(secret, "second-password-2"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("the link expires", async () => {
    const { user, secret } = await newAccount();
    await db.passwordSetup.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await findPasswordLink(secret)).toBeNull();
    await expect(choose(secret)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
  });

  it("no mail goes out for a link that expired before the worker ran; unknown secrets are refused", async () => {
    const admin = await makePerson(["ADMIN"]);
    await createUser({ actor: admin, email: "late@example.org", name: "Late", roles: [] });
    await db.passwordSetup.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    const row = await db.outbox.findFirstOrThrow({ where: { kind: "user.password-link" } });
    await sendPasswordLink(ctx, row.id, row.payload as { setupId: string });
    expect(smtp.messages).toHaveLength(0);
    await expect(choose("A".repeat(43))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(choose("../../etc")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("setting the password by link ends the account's tokens", async () => {
    const { user, secret } = await newAccount();
    const token = await makeToken(user);
    await choose(secret);
    expect(await authenticateToken(token, "GET")).toBeNull();
  });
});
