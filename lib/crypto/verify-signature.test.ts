import { beforeAll, describe, expect, it } from "vitest";
import * as openpgp from "openpgp";
import { verifyDetachedSignature } from "./verify-signature";
import { makeKey } from "../../test/pgp-fixtures";
import { detachSign } from "../../test/signers";
import {
  keyWithAuthSubkey,
  primaryPacket,
  rawDetachSign,
  revoke,
  twoSignaturesInOneArmor,
} from "../../test/corpus/forge";

// The detached-signature check on its own: every way a signature can be wrong
// must be refused with SIGNATURE_REFUSED and a reason a person can act on.

const DAY = 86400_000;
const STATEMENT =
  "patchgate-statement v1\nkind: review\nverdict: approve\nnonce: 00112233445566778899aabbccddeeff\n\nLooks fine.\n";

async function binarySign(privateKey: string, text: string | Uint8Array, date?: Date) {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });
  const message = await openpgp.createMessage({
    binary: typeof text === "string" ? new TextEncoder().encode(text) : text,
  });
  return (await openpgp.sign({
    message,
    signingKeys,
    detached: true,
    format: "armored",
    date,
  })) as string;
}

async function inlineSign(privateKey: string, text: string) {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });
  return (await openpgp.sign({
    message: await openpgp.createMessage({ text }),
    signingKeys,
    format: "armored",
  })) as string;
}

async function cleartextSign(privateKey: string, text: string) {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });
  return (await openpgp.sign({
    message: await openpgp.createCleartextMessage({ text }),
    signingKeys,
    format: "armored",
  })) as string;
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "the signature was accepted").toMatchObject({ code: "SIGNATURE_REFUSED" });
  return (e as { details: { reason: string } }).details.reason;
}

type TKey = Awaited<ReturnType<typeof makeKey>>;
let alice: TKey;
let mallory: TKey;

beforeAll(async () => {
  [alice, mallory] = await Promise.all([
    makeKey({ email: "alice@example.org" }),
    makeKey({ email: "mallory@example.org" }),
  ]);
});

const verify = (
  armoredSignature: string,
  armoredPublicKey = alice.publicKey,
  now?: Date,
  statement = STATEMENT,
) => verifyDetachedSignature({ statement, armoredSignature, armoredPublicKey, now });

describe("verifyDetachedSignature accepts", () => {
  it("a text-mode detached signature (openpgp.js in the browser)", async () => {
    const v = await verify(await detachSign(alice.privateKey, STATEMENT));
    expect(alice.fingerprint.endsWith(v.signingKeyId)).toBe(true);
  });

  it("a binary-mode detached signature (gpg --detach-sign)", async () => {
    await expect(verify(await binarySign(alice.privateKey, STATEMENT))).resolves.toMatchObject({
      signedAt: expect.any(Date),
    });
  });

  it("a signature from a client whose clock runs a minute fast", async () => {
    await expect(
      verify(await binarySign(alice.privateKey, STATEMENT, new Date(Date.now() + 60_000))),
    ).resolves.toBeTruthy();
  });
});

describe("verifyDetachedSignature refuses", () => {
  it("a statement changed by one byte", async () => {
    const sig = await binarySign(alice.privateKey, STATEMENT);
    expect(
      await reason(
        verify(sig, alice.publicKey, undefined, STATEMENT.replace("approve", "approvE")),
      ),
    ).toBe("mismatch");
  });

  it("a binary signature over the CRLF form of the statement", async () => {
    expect(
      await reason(verify(await binarySign(alice.privateKey, STATEMENT.replace(/\n/g, "\r\n")))),
    ).toBe("mismatch");
  });

  it("another person's key", async () => {
    expect(await reason(verify(await detachSign(mallory.privateKey, STATEMENT)))).toBe("wrong-key");
  });

  it("a cleartext-signed message", async () => {
    expect(await reason(verify(await cleartextSign(alice.privateKey, STATEMENT)))).toBe(
      "cleartext",
    );
  });

  it("an inline-signed message", async () => {
    expect(await reason(verify(await inlineSign(alice.privateKey, STATEMENT)))).toBe("inline");
  });

  it("truncated armor", async () => {
    const sig = await detachSign(alice.privateKey, STATEMENT);
    const lines = sig.trim().split("\n");
    const truncated = [...lines.slice(0, 3), lines[3].slice(0, 10), lines.at(-1)].join("\n");
    expect(await reason(verify(truncated))).toBe("unreadable");
  });

  it("garbage", async () => {
    expect(await reason(verify("this is my signature, trust me"))).toBe("not-armored");
  });

  it("an empty signature", async () => {
    expect(await reason(verify("  \n"))).toBe("not-armored");
  });

  it("a binary (unarmored) signature", async () => {
    const signingKeys = await openpgp.readPrivateKey({ armoredKey: alice.privateKey });
    const bin = (await openpgp.sign({
      message: await openpgp.createMessage({ binary: new TextEncoder().encode(STATEMENT) }),
      signingKeys,
      detached: true,
      format: "binary",
    })) as Uint8Array;
    expect(await reason(verify(Buffer.from(bin).toString("latin1")))).toBe("not-armored");
    expect(await reason(verify(Buffer.from(bin).toString("base64")))).toBe("not-armored");
  });

  it("two signatures in one armor block", async () => {
    const both = await twoSignaturesInOneArmor(
      await detachSign(alice.privateKey, STATEMENT),
      await detachSign(alice.privateKey, STATEMENT),
    );
    expect(await reason(verify(both))).toBe("several");
  });

  it("two armor blocks, one after the other, the first one valid", async () => {
    const good = await detachSign(alice.privateKey, STATEMENT);
    const other = await detachSign(mallory.privateKey, STATEMENT);
    await reason(verify(`${good.trim()}\n${other.trim()}\n`));
  });

  it("a standalone signature (type 0x02) instead of a document signature", async () => {
    await reason(
      verify(
        await rawDetachSign(await primaryPacket(alice.privateKey), STATEMENT, {
          type: "standalone",
        }),
      ),
    );
  });

  it("a signature dated in the future", async () => {
    const sig = await binarySign(alice.privateKey, STATEMENT, new Date(Date.now() + 2 * DAY));
    expect(await reason(verify(sig))).toBe("future");
  });

  it("a signature dated before its key existed", async () => {
    const sig = await rawDetachSign(await primaryPacket(alice.privateKey), STATEMENT, {
      date: new Date(Date.now() - 30 * DAY),
    });
    expect(await reason(verify(sig))).toBe("predates-key");
  });

  it("a key that has expired, even when the signature is dated while it was valid", async () => {
    const key = await makeKey({
      date: new Date(Date.now() - 10 * DAY),
      keyExpirationTime: DAY / 1000,
    });
    const sig = await binarySign(key.privateKey, STATEMENT, new Date(Date.now() - 9.5 * DAY));
    // The same signature was fine while the key lived: the refusal is about now.
    await expect(
      verify(sig, key.publicKey, new Date(Date.now() - 9.4 * DAY)),
    ).resolves.toBeTruthy();
    expect(await reason(verify(sig, key.publicKey))).toBe("expired-key");
  });

  it("a key that expires between signing and verification", async () => {
    const key = await makeKey({ keyExpirationTime: 3600 });
    const sig = await binarySign(key.privateKey, STATEMENT);
    expect(await reason(verify(sig, key.publicKey, new Date(Date.now() + 2 * 3600_000)))).toBe(
      "expired-key",
    );
  });

  it("a revoked key", async () => {
    const sig = await binarySign(alice.privateKey, STATEMENT);
    expect(await reason(verify(sig, await revoke(alice.privateKey)))).toBe("revoked-key");
  });

  it("a revoked key, as of any moment from its revocation on, but not before it", async () => {
    const sig = await binarySign(alice.privateKey, STATEMENT);
    const revokedLater = await revoke(alice.privateKey, { date: new Date(Date.now() + 60_000) });
    // Received before the revocation: still good, even for a hard (no-reason) revocation.
    await expect(verify(sig, revokedLater)).resolves.toBeTruthy();
    expect(await reason(verify(sig, revokedLater, new Date(Date.now() + 120_000)))).toBe(
      "revoked-key",
    );
  });

  it("a key retired (soft revocation) after a backdated signature", async () => {
    const key = await makeKey({ date: new Date(Date.now() - 10 * DAY) });
    const sig = await binarySign(key.privateKey, STATEMENT, new Date(Date.now() - 5 * DAY));
    expect(await reason(verify(sig, await revoke(key.privateKey, { reason: "keyRetired" })))).toBe(
      "revoked-key",
    );
  });

  it("a signature by a subkey that may not sign", async () => {
    const key = await keyWithAuthSubkey();
    const sig = await rawDetachSign(key.authSubkey, STATEMENT);
    expect(await reason(verify(sig, key.publicKey))).toBe("not-signing-key");
  });

  it("a signature larger than 16 KiB", async () => {
    const sig = await detachSign(alice.privateKey, STATEMENT);
    const padded = sig.replace(
      "-----BEGIN PGP SIGNATURE-----\n",
      `-----BEGIN PGP SIGNATURE-----\nComment: ${"x".repeat(17_000)}\n`,
    );
    expect(await reason(verify(padded))).toBe("too-large");
  });
});
