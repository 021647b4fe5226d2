import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makeSigner } from "../../../test/signers";
import { readNonceAndKey } from "./accept-statement";

// readNonceAndKey reads both rows in one raw statement, the key as JSON (decision 0013); this is
// what it must equal, field for field: Prisma's own reads. A column added to either model and
// missed, or a date that comes back as text, fails here.
describe("readNonceAndKey", () => {
  beforeEach(resetDatabase);

  async function issued(userId: string, nonce: string) {
    return db.statementNonce.create({
      data: {
        nonce,
        userId,
        kind: "review",
        subjectType: "patch",
        subjectId: "p1",
        statement: "patchgate-statement v1\n",
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
  }

  it("reads the nonce and the named key as Prisma does, every date a Date, the nullable ones set too", async () => {
    const a = await makeSigner(["ASSESSOR"]);
    await issued(a.id, "n-1");
    await db.statementNonce.update({ where: { nonce: "n-1" }, data: { usedAt: new Date() } });
    await db.pgpKey.update({
      where: { fingerprint: a.fingerprint },
      data: {
        expiresAt: new Date("2030-01-02T03:04:05.678Z"),
        removedAt: new Date("2029-01-02T03:04:05.678Z"),
        revokedAt: new Date("2028-01-02T03:04:05.678Z"),
        revocationReason: "superseded",
      },
    });
    const read = await readNonceAndKey("n-1", a.fingerprint);
    expect(read).toStrictEqual({
      nonce: await db.statementNonce.findUnique({ where: { nonce: "n-1" } }),
      key: await db.pgpKey.findUnique({ where: { fingerprint: a.fingerprint } }),
    });
    expect(read.key?.revokedAt).toBeInstanceOf(Date);
  });

  it("reads a key whose nullable fields are null, and no key for a fingerprint nobody has", async () => {
    const a = await makeSigner(["ASSESSOR"]);
    await issued(a.id, "n-2");
    expect(await readNonceAndKey("n-2", a.fingerprint)).toStrictEqual({
      nonce: await db.statementNonce.findUnique({ where: { nonce: "n-2" } }),
      key: await db.pgpKey.findUnique({ where: { fingerprint: a.fingerprint } }),
    });
    const none = await readNonceAndKey("n-2", "0".repeat(40));
    expect(none.key).toBeNull();
    expect(none.nonce?.nonce).toBe("n-2");
  });

  it("reads nothing for a nonce never issued", async () => {
    const a = await makeSigner(["ASSESSOR"]);
    expect(await readNonceAndKey("never", a.fingerprint)).toStrictEqual({
      nonce: null,
      key: null,
    });
  });
});
