import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { appendAuditEvent, appendAuditEventNow } from "./append-event";
import { chainHead, verifyStoredChain } from "./verify-chain";
import { CLI_BOOTSTRAP } from "../../auth/actor";

async function write(n: number) {
  for (let i = 0; i < n; i++) {
    await db.$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: CLI_BOOTSTRAP,
        action: "user.enabled",
        subjectType: "user",
        subjectId: `u${i}`,
        payload: {},
      }),
    );
  }
}

/** Tampering as a database superuser would: with the append-only trigger switched off. */
async function tamper(sql: string) {
  await db.$transaction([
    db.$executeRawUnsafe("SET LOCAL session_replication_role = replica"),
    db.$executeRawUnsafe(sql),
  ]);
}

describe("audit log", () => {
  beforeEach(resetDatabase);

  it("refuses UPDATE, DELETE and TRUNCATE in the database itself", async () => {
    await write(1);
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET action = 'x'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.count()).toBe(1);
  });

  it("verifies an intact chain and reports its head", async () => {
    await write(5);
    const verdict = await verifyStoredChain();
    const head = await chainHead();
    expect(verdict).toMatchObject({ ok: true, count: 5 });
    expect(head?.seq).toBe(5n);
    expect(verdict.ok && verdict.head?.hash).toBe(head?.hash);
  });

  it("names an edited row", async () => {
    await write(5);
    await tamper(`UPDATE "AuditEvent" SET "subjectId" = 'mallory' WHERE seq = 3`);
    expect(await verifyStoredChain()).toMatchObject({ ok: false, firstBadSeq: 3n });
  });

  it("names a deleted row", async () => {
    await write(5);
    await tamper(`DELETE FROM "AuditEvent" WHERE seq = 2`);
    expect(await verifyStoredChain()).toMatchObject({ ok: false, firstBadSeq: 2n });
  });

  it("detects reordered rows", async () => {
    await write(5);
    // Rows 2 and 4 trade places: each keeps its content and hash, under the other's number.
    await tamper(`UPDATE "AuditEvent" SET seq = -2 WHERE seq = 2`);
    await tamper(`UPDATE "AuditEvent" SET seq = 2 WHERE seq = 4`);
    await tamper(`UPDATE "AuditEvent" SET seq = 4 WHERE seq = -2`);
    expect(await verifyStoredChain()).toMatchObject({ ok: false, firstBadSeq: 2n });
  });

  it("detects an inserted row", async () => {
    await write(3);
    await tamper(`UPDATE "AuditEvent" SET seq = seq + 1 WHERE seq = 3`);
    await tamper(
      `INSERT INTO "AuditEvent" SELECT 3, at, "actorId", "actorLabel", action, 'forged', "subjectId", payload, "prevHash", md5(hash) || md5(hash) FROM "AuditEvent" WHERE seq = 2`,
    );
    expect(await verifyStoredChain()).toMatchObject({ ok: false, firstBadSeq: 3n });
  });

  it("keeps one unbroken chain with 20 concurrent writers", async () => {
    await Promise.all(Array.from({ length: 20 }, () => write(1)));
    const verdict = await verifyStoredChain();
    expect(verdict).toMatchObject({ ok: true, count: 20 });
    const seqs = (
      await db.auditEvent.findMany({ select: { seq: true }, orderBy: { seq: "asc" } })
    ).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("writes a transaction's events together, in the order appended, beside events written at once", async () => {
    const event = (subjectId: string) => ({
      actor: CLI_BOOTSTRAP,
      action: "user.enabled" as const,
      subjectType: "user",
      subjectId,
      payload: {},
    });
    await Promise.all(
      Array.from({ length: 8 }, (_, t) =>
        db.$transaction(async (tx) => {
          await appendAuditEvent(tx, event(`t${t}-a`));
          // Written now: it takes the chain's lock, and the queued ones follow it at commit.
          const now = await appendAuditEventNow(tx, event(`t${t}-now`));
          expect(now.seq).toBeGreaterThan(0n);
          await appendAuditEvent(tx, event(`t${t}-b`));
        }),
      ),
    );
    expect(await verifyStoredChain()).toMatchObject({ ok: true, count: 24 });
    const rows = await db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    for (let t = 0; t < 8; t++) {
      const mine = rows.filter((r) => r.subjectId.startsWith(`t${t}-`));
      expect(mine.map((r) => r.subjectId)).toEqual([`t${t}-now`, `t${t}-a`, `t${t}-b`]);
      expect(Number(mine[2].seq - mine[1].seq)).toBe(1);
    }
  });

  it("rolls the event back with a failed change", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await appendAuditEvent(tx, {
          actor: CLI_BOOTSTRAP,
          action: "user.enabled",
          subjectType: "user",
          subjectId: "x",
          payload: {},
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("refuses a payload that does not match its action's schema", async () => {
    await expect(
      db.$transaction((tx) =>
        appendAuditEvent(tx, {
          actor: CLI_BOOTSTRAP,
          action: "role.revoked",
          subjectType: "user",
          subjectId: "x",
          payload: { userId: "x", role: "NOT_A_ROLE", reason: "r" } as never,
        }),
      ),
    ).rejects.toThrow();
    expect(await db.auditEvent.count()).toBe(0);
  });
});
