import { beforeEach, describe, expect, it } from "vitest";
import * as openpgp from "openpgp";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makePerson } from "../../../test/factories";
import { certifyOnlyPublicKey, makeKey, revokedPublicKey } from "../../../test/pgp-fixtures";
import { registerKey } from "./register-key";
import { removeKey } from "./remove-key";
import { listOwnKeyFingerprints } from "./list-own-keys";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: "KEY_REFUSED" });
  return error as { message: string; details: { reason: string } };
}

describe("registering OpenPGP keys", () => {
  beforeEach(resetDatabase);

  it("stores a valid ECC public key with its full fingerprint and audits it", async () => {
    const alice = await makePerson(["ASSESSOR"], { email: "alice@example.org" });
    const { publicKey, fingerprint } = await makeKey({ email: "alice@example.org" });
    const key = await registerKey({ actor: alice, armored: publicKey });
    expect(key.fingerprint).toBe(fingerprint);
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(key.algorithm).toMatch(/eddsa/i);
    expect(key.userIds).toEqual(["Test Person <alice@example.org>"]);
    expect(
      await db.auditEvent.count({ where: { action: "key.registered", subjectId: alice.id } }),
    ).toBe(1);
  });

  it("refuses a private key and stores nothing", async () => {
    const alice = await makePerson(["ASSESSOR"]);
    const { privateKey } = await makeKey({ email: alice.email });
    const e = await refusal(registerKey({ actor: alice, armored: privateKey }));
    expect(e.details.reason).toBe("private");
    expect(e.message).toMatch(/private key/i);
    expect(await db.pgpKey.count()).toBe(0);
  });

  it("refuses an expired key", async () => {
    const alice = await makePerson(["ASSESSOR"]);
    const { publicKey } = await makeKey({
      email: alice.email,
      date: new Date(Date.now() - 10 * 86400_000),
      keyExpirationTime: 86400,
    });
    const e = await refusal(registerKey({ actor: alice, armored: publicKey }));
    expect(e.details.reason).toBe("expired");
    expect(e.message).toMatch(/expired/);
  });

  it("refuses a revoked key", async () => {
    const alice = await makePerson(["ASSESSOR"]);
    const e = await refusal(registerKey({ actor: alice, armored: await revokedPublicKey() }));
    expect(e.details.reason).toBe("revoked");
  });

  it("refuses a key without a usable signing key", async () => {
    const alice = await makePerson(["ASSESSOR"]);
    const armored = certifyOnlyPublicKey();
    const e = await refusal(registerKey({ actor: alice, armored }));
    expect(e.details.reason).toBe("no-signing-key");
  });

  it("refuses text that is not a key", async () => {
    const alice = await makePerson(["ASSESSOR"]);
    const e = await refusal(registerKey({ actor: alice, armored: "hello, I am not a key" }));
    expect(e.details.reason).toBe("not-a-key");
  });

  it("refuses a fingerprint already registered to another person, and to the same person", async () => {
    const alice = await makePerson(["ASSESSOR"]);
    const bob = await makePerson(["ASSESSOR"]);
    const { publicKey } = await makeKey({ email: alice.email });
    await registerKey({ actor: alice, armored: publicKey });
    // Bob's address on the same key: the fingerprint still belongs to one person.
    await db.user.update({ where: { id: bob.id }, data: { email: alice.email.toUpperCase() } });
    const e = await refusal(
      registerKey({ actor: { ...bob, email: alice.email.toUpperCase() }, armored: publicKey }),
    );
    expect(e.details.reason).toBe("duplicate");
    expect(e.message).toMatch(/another account/);
    await refusal(registerKey({ actor: alice, armored: publicKey }));
    expect(await db.pgpKey.count()).toBe(1);
  });

  it("lets a person hold several keys and retire one", async () => {
    const alice = await makePerson(["ASSESSOR"]);
    const k1 = await registerKey({
      actor: alice,
      armored: (await makeKey({ email: alice.email })).publicKey,
    });
    await registerKey({ actor: alice, armored: (await makeKey({ email: alice.email })).publicKey });
    await removeKey({ actor: alice, keyId: k1.id });
    expect(await db.pgpKey.count({ where: { userId: alice.id, removedAt: null } })).toBe(1);
    const bob = await makePerson(["TESTER"]);
    await expect(
      removeKey({
        actor: bob,
        keyId: (await db.pgpKey.findFirstOrThrow({ where: { removedAt: null } })).id,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("tells the signing dialog a person's own live fingerprints, newest first", async () => {
    const alice = await makePerson(["ASSESSOR"]);
    const bob = await makePerson(["TESTER"]);
    const old = await registerKey({
      actor: alice,
      armored: (await makeKey({ email: alice.email })).publicKey,
    });
    const retired = await registerKey({
      actor: alice,
      armored: (await makeKey({ email: alice.email })).publicKey,
    });
    const newest = await registerKey({
      actor: alice,
      armored: (await makeKey({ email: alice.email })).publicKey,
    });
    await registerKey({ actor: bob, armored: (await makeKey({ email: bob.email })).publicKey });
    await removeKey({ actor: alice, keyId: retired.id });
    expect(await listOwnKeyFingerprints({ actor: alice })).toEqual([
      newest.fingerprint,
      old.fingerprint,
    ]);
  });

  it("refuses a key none of whose user IDs carries the account's address (finding 8)", async () => {
    const alice = await makePerson(["ASSESSOR"], { email: "alice@example.org" });
    const { publicKey } = await makeKey({ name: "Alice", email: "alice@example.org.evil" });
    const e = await refusal(registerKey({ actor: alice, armored: publicKey }));
    expect(e.details.reason).toBe("user-id");
    expect(e.message).toMatch(/alice@example\.org/);
    expect(e.message).toMatch(/quick-add-uid/);
    expect(await db.pgpKey.count()).toBe(0);
  });

  it("takes the address in any case, as `Name <address>` among others or bare", async () => {
    const alice = await makePerson(["ASSESSOR"], { email: "alice@example.org" });
    const { publicKey: bare } = await openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ email: "other@example.org" }, { email: "Alice@Example.ORG" }],
      format: "armored",
    });
    await expect(registerKey({ actor: alice, armored: bare })).resolves.toMatchObject({
      userIds: ["<other@example.org>", "<Alice@Example.ORG>"],
    });
  });

  it("does not count a user ID the key does not self-certify", async () => {
    const alice = await makePerson(["ASSESSOR"], { email: "alice@example.org" });
    const { publicKey } = await makeKey({ email: "mallory@example.org" });
    // Append an unsigned user ID packet carrying Alice's address.
    const key = await openpgp.readKey({ armoredKey: publicKey });
    const packets = key.toPacketList();
    packets.push(openpgp.UserIDPacket.fromObject({ name: "Alice", email: "alice@example.org" }));
    const forged = new openpgp.PublicKey(packets).armor();
    expect((await openpgp.readKey({ armoredKey: forged })).getUserIDs()).toContain(
      "Alice <alice@example.org>",
    );
    const e = await refusal(registerKey({ actor: alice, armored: forged }));
    expect(e.details.reason).toBe("user-id");
  });

  it("refuses an OpenPGP v6 key, which GnuPG 2.2 cannot verify (finding 9)", async () => {
    const alice = await makePerson(["ASSESSOR"], { email: "alice@example.org" });
    const { publicKey } = await openpgp.generateKey({
      type: "curve25519",
      userIDs: [{ name: "Alice", email: "alice@example.org" }],
      format: "armored",
      config: { v6Keys: true },
    });
    expect((await openpgp.readKey({ armoredKey: publicKey })).keyPacket.version).toBe(6);
    const e = await refusal(registerKey({ actor: alice, armored: publicKey }));
    expect(e.details.reason).toBe("v6");
    expect(e.message).toMatch(/OpenPGP v6 key; GnuPG 2\.2 cannot verify/);
    expect(await db.pgpKey.count()).toBe(0);
  });
});
