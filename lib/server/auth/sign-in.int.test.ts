import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makePerson } from "../../../test/factories";
import { isSessionLive, loadActor } from "../../auth/load-actor";
import { ADDRESS_MAX_FAILURES, type TSignInRefusal } from "../../domain/sign-in-backoff";
import { signInWithPassword, SignInRefused, type TSignedIn } from "./sign-in";
import { endSession } from "./end-session";

const PASSWORD = "the-right-password";

async function attempt(
  email: string,
  password: string,
  address: string | null = null,
): Promise<TSignedIn | TSignInRefusal> {
  try {
    return await signInWithPassword({ credentials: { email, password }, address });
  } catch (e) {
    if (e instanceof SignInRefused) return e.refusal;
    throw e;
  }
}

/** The wait runs out: the lock's row expires (what time would do). */
async function waitRunsOut() {
  await db.signInThrottle.updateMany({
    where: { key: { startsWith: "signin-lock:" } },
    data: { expire: new Date(Date.now() - 1000) },
  });
}

const failuresOf = async (email: string) =>
  (
    await db.auditEvent.findMany({
      where: { action: "user.sign_in_failed" },
      orderBy: { seq: "asc" },
    })
  )
    .map((e) => e.payload as { email: string; reason: string; failures?: number })
    .filter((p) => p.email === email);

describe("sign-in throttle (issue 11, finding 4)", () => {
  beforeEach(resetDatabase);

  it("locks an account after 10 consecutive failures: the right password is refused with the wait", async () => {
    const ada = await makePerson([], { password: PASSWORD });
    for (let i = 1; i <= 9; i++)
      expect(await attempt(ada.email, `wrong-${i}`)).toEqual({ kind: "wrong_credentials" });
    expect(await attempt(ada.email, "wrong-10")).toEqual({
      kind: "account_locked",
      waitSeconds: 60,
    });

    const refused = await attempt(ada.email, PASSWORD);
    expect(refused).toMatchObject({ kind: "account_locked" });
    expect((refused as { waitSeconds: number }).waitSeconds).toBeGreaterThan(0);
    expect((refused as { waitSeconds: number }).waitSeconds).toBeLessThanOrEqual(60);
    expect(await db.authSession.count()).toBe(0);

    const failed = await failuresOf(ada.email);
    expect(failed.map((f) => f.reason)).toEqual([
      ...Array(10).fill("wrong_password"),
      "account_locked",
    ]);
    expect(failed.slice(0, 10).map((f) => f.failures)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The audit log never holds a password, right or wrong.
    const all = JSON.stringify((await db.auditEvent.findMany()).map((e) => e.payload));
    expect(all).not.toContain("wrong-");
    expect(all).not.toContain(PASSWORD);

    // One mail to the owner per lock-out, not per attempt.
    const mails = await db.outbox.findMany({ where: { kind: "user.sign-in-locked" } });
    expect(mails).toHaveLength(1);
    expect(mails[0].payload).toMatchObject({ userId: ada.id });
  });

  it("doubles the wait with each failure after it, and the right password afterwards resets everything", async () => {
    const ada = await makePerson([], { password: PASSWORD });
    for (let i = 1; i <= 10; i++) await attempt(ada.email, `wrong-${i}`);
    await waitRunsOut();
    expect(await attempt(ada.email, "wrong-11")).toEqual({
      kind: "account_locked",
      waitSeconds: 120,
    });
    await waitRunsOut();
    expect(await attempt(ada.email, "wrong-12")).toEqual({
      kind: "account_locked",
      waitSeconds: 240,
    });
    expect(await db.outbox.count({ where: { kind: "user.sign-in-locked" } })).toBe(1);

    await waitRunsOut();
    expect(await attempt(ada.email, PASSWORD)).toMatchObject({ id: ada.id });
    // Afresh: the next wrong password is one of ten again.
    expect(await attempt(ada.email, "wrong-again")).toEqual({ kind: "wrong_credentials" });
  });

  it("forgets the failures on success before the lock", async () => {
    const ada = await makePerson([], { password: PASSWORD });
    for (let i = 1; i <= 9; i++) await attempt(ada.email, `wrong-${i}`);
    expect(await attempt(ada.email, PASSWORD)).toMatchObject({ id: ada.id });
    for (let i = 1; i <= 9; i++)
      expect(await attempt(ada.email, `wrong-${i}`)).toEqual({ kind: "wrong_credentials" });
    expect(await db.outbox.count()).toBe(0);
  });

  it("checks no more than 10 passwords of a burst sent all at once", async () => {
    const ada = await makePerson([], { password: PASSWORD });
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => attempt(ada.email, `burst-${i}`)),
    );
    const checked = (await failuresOf(ada.email)).filter((f) => f.reason === "wrong_password");
    expect(checked.length).toBeLessThanOrEqual(10);
    expect(
      results.filter((r) => "kind" in r && r.kind === "account_locked").length,
    ).toBeGreaterThanOrEqual(15);
    expect(await attempt(ada.email, PASSWORD)).toMatchObject({ kind: "account_locked" });
  });

  it("treats an unknown e-mail like an account: audited as unknown, locked the same way, no mail", async () => {
    const email = "nobody@example.org";
    for (let i = 1; i <= 9; i++)
      expect(await attempt(email, "guess")).toEqual({ kind: "wrong_credentials" });
    expect(await attempt(email, "guess")).toEqual({ kind: "account_locked", waitSeconds: 60 });
    const failed = await failuresOf(email);
    expect(failed).toHaveLength(10);
    expect(new Set(failed.map((f) => f.reason))).toEqual(new Set(["unknown_email"]));
    const event = await db.auditEvent.findFirst({ where: { action: "user.sign_in_failed" } });
    expect(event).toMatchObject({ actorId: null, subjectType: "email", subjectId: email });
    expect(await db.outbox.count()).toBe(0);
  });

  it("refuses a client address after too many failures, whichever accounts they were for", async () => {
    const ada = await makePerson([], { password: PASSWORD });
    const address = "203.0.113.7";
    expect(await attempt("someone@example.org", "guess", address)).toEqual({
      kind: "wrong_credentials",
    });
    const row = await db.signInThrottle.findUnique({ where: { key: `signin-addr:${address}` } });
    expect(row?.points).toBe(1);
    await db.signInThrottle.update({
      where: { key: `signin-addr:${address}` },
      data: { points: ADDRESS_MAX_FAILURES },
    });
    const refused = await attempt(ada.email, PASSWORD, address);
    expect(refused).toMatchObject({ kind: "address_limited" });
    // Another address, and no address at all (no trusted proxy), are not held back.
    expect(await attempt(ada.email, PASSWORD, "198.51.100.1")).toMatchObject({ id: ada.id });
    expect(await attempt(ada.email, PASSWORD)).toMatchObject({ id: ada.id });
    const [last] = await failuresOf(ada.email);
    expect(last).toMatchObject({ reason: "address_limited" });
  });
});

describe("server-side sessions (issue 11, finding 2)", () => {
  beforeEach(resetDatabase);

  it("a sign-in opens a session row with an absolute end; sign-out ends it once, audited", async () => {
    const ada = await makePerson(["ASSESSOR"], { password: PASSWORD });
    const before = Date.now();
    const signed = (await attempt(ada.email, PASSWORD, "203.0.113.7")) as TSignedIn;
    const row = await db.authSession.findUniqueOrThrow({ where: { id: signed.sessionId } });
    const hours = (row.expiresAt.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(11.99);
    expect(hours).toBeLessThan(12.01);
    expect(await isSessionLive(signed.sessionId)).toBe(true);
    expect(await loadActor(ada.id, signed.sessionVersion, signed.sessionId)).not.toBeNull();

    expect(await endSession(signed.sessionId)).toBe(true);
    expect(await endSession(signed.sessionId)).toBe(false);
    expect(await isSessionLive(signed.sessionId)).toBe(false);
    expect(await loadActor(ada.id, signed.sessionVersion, signed.sessionId)).toBeNull();

    const events = await db.auditEvent.findMany({
      where: { action: { in: ["user.signed_in", "user.signed_out"] } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["user.signed_in", ada.id],
      ["user.signed_out", ada.id],
    ]);
    expect(events[0].payload).toMatchObject({
      sessionId: signed.sessionId,
      address: "203.0.113.7",
    });
  });

  it("a session past its absolute end is refused", async () => {
    const ada = await makePerson([], { password: PASSWORD });
    const signed = (await attempt(ada.email, PASSWORD)) as TSignedIn;
    await db.authSession.update({
      where: { id: signed.sessionId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await isSessionLive(signed.sessionId)).toBe(false);
    expect(await loadActor(ada.id, signed.sessionVersion, signed.sessionId)).toBeNull();
    // Another person's session id does not let Ada in either.
    const bob = await makePerson([], { password: PASSWORD });
    const bobs = (await attempt(bob.email, PASSWORD)) as TSignedIn;
    expect(await loadActor(ada.id, signed.sessionVersion, bobs.sessionId)).toBeNull();
  });
});
