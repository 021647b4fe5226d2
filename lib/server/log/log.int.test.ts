import { beforeEach, describe, expect, it } from "vitest";
import * as openpgp from "openpgp";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { leafHash, rootOf, verifyConsistency, verifyInclusion } from "../../crypto/merkle";
import { verifyCheckpoint } from "../../crypto/checkpoint";
import { appendAuditEvent } from "../audit/append-event";
import { portalPublicKey } from "../portal-key/portal-key";
import { integrateLog } from "./integrate";
import { noteVerifierKey } from "./log-key";
import { checkpointCovering, consistencyProof, inclusionProof, latestCheckpoint } from "./proofs";
import { auditLeaf } from "./tree-store";

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

/** The root recomputed from the events themselves, not from the stored nodes. */
async function rootOfEvents(size: number) {
  const events = await db.auditEvent.findMany({ orderBy: { seq: "asc" }, take: size });
  return rootOf(events.map((e) => leafHash(auditLeaf(e))));
}

describe("transparency log", () => {
  beforeEach(resetDatabase);

  it("makes the existing events its first leaves and signs a checkpoint gpg and the note key verify", async () => {
    await write(37);
    const cp = await integrateLog();
    expect(cp.treeSize).toBe(37);
    expect(Buffer.from(cp.rootHash)).toEqual(Buffer.from(await rootOfEvents(37)));
    const body = verifyCheckpoint(cp.note, await noteVerifierKey());
    expect(body.treeSize).toBe(37);
    expect(Buffer.from(body.rootHash)).toEqual(Buffer.from(cp.rootHash));
    const { signatures } = await openpgp.verify({
      message: await openpgp.createMessage({ binary: new TextEncoder().encode(cp.note) }),
      signature: await openpgp.readSignature({ armoredSignature: cp.signature }),
      verificationKeys: await openpgp.readKey({
        armoredKey: (await portalPublicKey()).publicArmored,
      }),
    });
    await expect(signatures[0].verified).resolves.toBe(true);
    // Every perfect subtree is stored once: 37 + 18 + 9 + 4 + 2 + 1 nodes.
    expect(await db.logNode.count()).toBe(71);
    // Nothing new: the same checkpoint.
    expect((await integrateLog()).treeSize).toBe(37);
    expect(await db.checkpoint.count()).toBe(1);
  });

  it("serves inclusion and consistency proofs that verify against two checkpoints", async () => {
    await write(13);
    const first = await integrateLog();
    await write(20);
    const second = await latestCheckpoint();
    expect(second.treeSize).toBe(33);
    expect(Buffer.from(second.rootHash)).toEqual(Buffer.from(await rootOfEvents(33)));
    for (const index of [0, 1, 12, 13, 31, 32]) {
      const p = await inclusionProof({ index, size: 33 });
      expect(verifyInclusion(p.leafHash, index, 33, p.proof, second.rootHash)).toBe(true);
    }
    const old = await inclusionProof({ index: 5, size: 13 });
    expect(verifyInclusion(old.leafHash, 5, 13, old.proof, first.rootHash)).toBe(true);
    const c = await consistencyProof({ from: 13, to: 33 });
    expect(verifyConsistency(13, 33, c.proof, first.rootHash, second.rootHash)).toBe(true);
    await expect(inclusionProof({ index: 0, size: 34 })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(consistencyProof({ from: 14, to: 13 })).rejects.toMatchObject({
      code: "VALIDATION",
    });
  });

  it("keeps one tree when integrators and writers run at once", async () => {
    await Promise.all([
      write(10),
      write(10),
      integrateLog(),
      write(10),
      integrateLog(),
      integrateLog(),
    ]);
    const cp = await checkpointCovering(30);
    expect(cp.treeSize).toBe(30);
    expect(Buffer.from(cp.rootHash)).toEqual(Buffer.from(await rootOfEvents(30)));
    const sizes = (await db.checkpoint.findMany()).map((c) => Number(c.treeSize));
    for (const s of sizes) {
      if (s === 0 || s === 30) continue;
      const from = (await db.checkpoint.findUniqueOrThrow({ where: { treeSize: BigInt(s) } }))
        .rootHash;
      const c = await consistencyProof({ from: s, to: 30 });
      expect(verifyConsistency(s, 30, c.proof, new Uint8Array(from), cp.rootHash)).toBe(true);
    }
  });

  it("gives every one of many requests at once the same new checkpoint", async () => {
    await write(5);
    // Twelve callers find the same events uncovered and sign the same size at once:
    // one checkpoint is stored, and none of them fails (the matrix's 500 in CI).
    const got = await Promise.all(Array.from({ length: 12 }, () => latestCheckpoint()));
    expect(new Set(got.map((c) => c.note)).size).toBe(1);
    expect(got[0].treeSize).toBe(5);
    expect(await db.checkpoint.count({ where: { treeSize: 5n } })).toBe(1);
  });
});
