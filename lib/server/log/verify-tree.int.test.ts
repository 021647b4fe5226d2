import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { auditHash } from "../../crypto/audit-chain";
import { eventLeafHash } from "../../crypto/audit-leaf";
import { appendAuditEvent } from "../audit/append-event";
import { verifyStoredChain } from "../audit/verify-chain";
import { integrateLog } from "./integrate";
import { verifyStoredTree } from "./verify-tree";

async function write(n: number) {
  for (let i = 0; i < n; i++)
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

/** As a database superuser would: the append-only trigger off for this transaction. */
async function asSuperuser(fn: () => Promise<unknown>[]) {
  await db.$transaction([
    db.$executeRawUnsafe("SET LOCAL session_replication_role = replica"),
    ...fn(),
  ] as never);
}

/**
 * Rewrites event `seq` and then every later event's prevHash and hash, so the chain
 * verifies again: the forgery the chain alone cannot see.
 */
async function rewriteWithChain(seq: number, subjectId: string) {
  const rows = await db.auditEvent.findMany({
    where: { seq: { gte: BigInt(seq) } },
    orderBy: { seq: "asc" },
  });
  let prev = (await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(seq - 1) } })).hash;
  const updates = rows.map((r, i) => {
    const row = { ...r, subjectId: i === 0 ? subjectId : r.subjectId, prevHash: prev };
    const hash = auditHash(row);
    prev = hash;
    return {
      seq: r.seq,
      subjectId: row.subjectId,
      prevHash: row.prevHash,
      hash,
      leaf: eventLeafHash(row),
    };
  });
  // The hashes are unique: park them first, then write the new ones.
  await asSuperuser(() => [
    db.$executeRawUnsafe(`UPDATE "AuditEvent" SET hash = 'x' || seq WHERE seq >= ${seq}`),
    ...updates.map(
      (u) =>
        db.$executeRaw`UPDATE "AuditEvent" SET "subjectId" = ${u.subjectId}, "prevHash" = ${u.prevHash}, hash = ${u.hash} WHERE seq = ${u.seq}`,
    ),
  ]);
  return updates;
}

describe("audit verify's tree check", () => {
  beforeEach(resetDatabase);

  it("passes an intact log and says when there is no checkpoint yet", async () => {
    await write(5);
    expect(await verifyStoredTree()).toMatchObject({ ok: true, treeSize: 0, rootHash: null });
    const cp = await integrateLog();
    expect(await verifyStoredTree()).toMatchObject({
      ok: true,
      treeSize: 5,
      rootHash: cp.rootHash,
    });
  });

  it("catches an event rewritten with its whole chain recomputed, even with its leaf rewritten too", async () => {
    await write(10);
    await integrateLog();
    const updates = await rewriteWithChain(4, "mallory");
    expect(await verifyStoredChain()).toMatchObject({ ok: true, count: 10 });
    const verdict = await verifyStoredTree();
    expect(verdict).toMatchObject({ ok: false, treeSize: 10 });
    expect(!verdict.ok && verdict.reason).toMatch(
      /^checkpoint 10's root does not match the events: leaf 3 \(event 4\)/,
    );
    // The forger rewrites the stored leaves as well: the signed root still gives it away.
    await db.$transaction(
      updates.map((u) =>
        db.logNode.update({
          where: { level_index: { level: 0, index: u.seq - 1n } },
          data: { hash: new Uint8Array(u.leaf) },
        }),
      ),
    );
    const again = await verifyStoredTree();
    expect(!again.ok && again.reason).toBe("checkpoint 10's root does not match the events");
  });
});
