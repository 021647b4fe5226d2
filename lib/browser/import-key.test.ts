import { beforeAll, describe, expect, it } from "vitest";
import * as openpgp from "openpgp";
import { makeKey } from "../../test/pgp-fixtures";
import { gpgHome } from "../../peers/gpg";
import { ImportRefused, prepareImport, readImportableKey, type TImportRefusal } from "./import-key";

// What the profile page's import does before anything is stored or sent: every
// refusal a person can meet, and what ends up in the browser's store.

const DAY = 86400_000;
const PASSPHRASE = "correct horse battery staple";

async function refusal(promise: Promise<unknown>): Promise<ImportRefused> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRefused);
  return error as ImportRefused;
}

async function reason(promise: Promise<unknown>): Promise<TImportRefusal> {
  return (await refusal(promise)).reason;
}

/** A key made with stock GnuPG: `capability` of the primary, plus an encryption subkey. */
function gpgKey(capability: "cert" | "sign", exportWith: string) {
  const { gpg, cleanup } = gpgHome();
  try {
    const email = `${capability}-${Math.random().toString(36).slice(2)}@example.org`;
    gpg(["--quick-gen-key", `GnuPG Key <${email}>`, "ed25519", capability, "never"]);
    const fpr = gpg(["--list-keys", "--with-colons", email])
      .split("\n")
      .find((l) => l.startsWith("fpr:"))!
      .split(":")[9];
    gpg(["--quick-add-key", fpr, "cv25519", "encr", "never"]);
    return gpg(["--armor", exportWith, email]);
  } finally {
    cleanup();
  }
}

describe("reading a private key to import", () => {
  let protectedKey: Awaited<ReturnType<typeof makeKey>>;
  beforeAll(async () => {
    protectedKey = await makeKey({ email: "ada@example.org", passphrase: PASSPHRASE });
  });

  it("reads a protected key without decrypting it", async () => {
    const k = await readImportableKey(protectedKey.privateKey);
    expect(k.fingerprint).toBe(protectedKey.fingerprint);
    expect(k.userId).toBe("Test Person <ada@example.org>");
    expect(k.protected).toBe(true);
    expect(k.key.isDecrypted()).toBe(false);
  });

  it("reads the binary form gpg writes without --armor", async () => {
    const binary = (await openpgp.readPrivateKey({ armoredKey: protectedKey.privateKey })).write();
    expect((await readImportableKey(binary)).fingerprint).toBe(protectedKey.fingerprint);
  });

  it("refuses a public key, armored or binary, and says where it belongs", async () => {
    const e = await refusal(readImportableKey(protectedKey.publicKey));
    expect(e.reason).toBe("public");
    expect(e.message).toMatch(/public key/i);
    expect(e.message).toMatch(/--export-secret-keys/);
    const binary = (await openpgp.readKey({ armoredKey: protectedKey.publicKey })).write();
    expect(await reason(readImportableKey(binary))).toBe("public");
  });

  it("refuses text that is no key, and oversized input", async () => {
    expect(await reason(readImportableKey("hello, I am not a key"))).toBe("not-a-key");
    expect(await reason(readImportableKey(new Uint8Array([1, 2, 3])))).toBe("not-a-key");
    expect(await reason(readImportableKey("x".repeat(65 * 1024)))).toBe("too-large");
  });

  it("refuses several keys in one block", async () => {
    const a = await openpgp.readPrivateKey({ armoredKey: protectedKey.privateKey });
    const b = await openpgp.readPrivateKey({ armoredKey: (await makeKey()).privateKey });
    const both = new Uint8Array([...a.write(), ...b.write()]);
    const e = await refusal(readImportableKey(openpgp.armor(openpgp.enums.armor.privateKey, both)));
    expect(e.reason).toBe("several");
    expect(e.message).toMatch(/found 2/);
  });

  it("refuses an expired key, with its date", async () => {
    const { privateKey } = await makeKey({
      date: new Date(Date.now() - 10 * DAY),
      keyExpirationTime: 86400,
      passphrase: PASSPHRASE,
    });
    const e = await refusal(readImportableKey(privateKey));
    expect(e.reason).toBe("expired");
    expect(e.message).toMatch(/expired on \d{4}-\d\d-\d\d/);
  });

  it("refuses a revoked key", async () => {
    const { privateKey } = await makeKey();
    const { privateKey: revoked } = await openpgp.revokeKey({
      key: await openpgp.readPrivateKey({ armoredKey: privateKey }),
      format: "armored",
    });
    expect(await reason(readImportableKey(revoked))).toBe("revoked");
  });

  it("refuses a key that cannot sign (certify-only primary, encryption subkey)", async () => {
    const e = await refusal(readImportableKey(gpgKey("cert", "--export-secret-keys")));
    expect(e.reason).toBe("no-signing-key");
    expect(e.message).toMatch(/sign capability/);
  });

  it("refuses a key whose signing secret GnuPG left out of the export", async () => {
    const e = await refusal(readImportableKey(gpgKey("sign", "--export-secret-subkeys")));
    expect(e.reason).toBe("no-secret-signing-key");
  });

  it("refuses a key only partly protected by a passphrase", async () => {
    const { privateKey } = await makeKey();
    const key = await openpgp.readPrivateKey({ armoredKey: privateKey });
    const sub = key.subkeys[0].keyPacket as openpgp.SecretSubkeyPacket;
    // Written out, the packet carries the encrypted material; the primary stays in the clear.
    await sub.encrypt(PASSPHRASE);
    expect(await reason(readImportableKey(key.armor()))).toBe("partly-protected");
  });
});

describe("preparing what the browser stores", () => {
  it("keeps a protected key as it came, once its passphrase has proved to open it", async () => {
    const k = await makeKey({ passphrase: PASSPHRASE });
    const prepared = await prepareImport(await readImportableKey(k.privateKey), {
      passphrase: PASSPHRASE,
    });
    expect(prepared.fingerprint).toBe(k.fingerprint);
    expect(prepared.encryptedHere).toBe(false);
    const stored = await openpgp.readPrivateKey({ armoredKey: prepared.armoredPrivateKey });
    expect(stored.isDecrypted()).toBe(false);
    await openpgp.decryptKey({ privateKey: stored, passphrase: PASSPHRASE });
    expect(prepared.armoredPublicKey).toContain("BEGIN PGP PUBLIC KEY BLOCK");
    expect(prepared.armoredPublicKey).not.toContain("PRIVATE KEY");
    expect((await openpgp.readKey({ armoredKey: prepared.armoredPublicKey })).isPrivate()).toBe(
      false,
    );
  });

  it("refuses a wrong or missing passphrase", async () => {
    const k = await readImportableKey((await makeKey({ passphrase: PASSPHRASE })).privateKey);
    const wrong = await refusal(prepareImport(k, { passphrase: "not the passphrase" }));
    expect(wrong.reason).toBe("wrong-passphrase");
    expect(wrong.message).toMatch(/nothing was stored/);
    expect(await reason(prepareImport(k, {}))).toBe("passphrase-needed");
  });

  it("encrypts an unprotected key with the new passphrase typed twice", async () => {
    const k = await readImportableKey((await makeKey()).privateKey);
    expect(k.protected).toBe(false);
    expect(await reason(prepareImport(k, {}))).toBe("weak-passphrase");
    expect(
      await reason(prepareImport(k, { newPassphrase: "short", confirmPassphrase: "short" })),
    ).toBe("weak-passphrase");
    expect(
      await reason(
        prepareImport(k, { newPassphrase: PASSPHRASE, confirmPassphrase: `${PASSPHRASE}!` }),
      ),
    ).toBe("passphrases-differ");

    const prepared = await prepareImport(k, {
      newPassphrase: PASSPHRASE,
      confirmPassphrase: PASSPHRASE,
    });
    expect(prepared.encryptedHere).toBe(true);
    const stored = await openpgp.readPrivateKey({ armoredKey: prepared.armoredPrivateKey });
    expect(stored.getKeys().every((key) => !key.isDecrypted())).toBe(true);
    await expect(
      openpgp.decryptKey({ privateKey: stored, passphrase: "not the passphrase" }),
    ).rejects.toThrow(/passphrase/i);
    await openpgp.decryptKey({ privateKey: stored, passphrase: PASSPHRASE });
    // The key read from the file is left as it was.
    expect(k.key.isDecrypted()).toBe(true);
  });

  it("imports a GnuPG key whose primary only certifies and a subkey signs", async () => {
    const { gpg, cleanup } = gpgHome();
    let armored: string;
    try {
      gpg(["--quick-gen-key", "Sub Signer <sub@example.org>", "ed25519", "cert", "never"]);
      const fpr = gpg(["--list-keys", "--with-colons", "sub@example.org"])
        .split("\n")
        .find((l) => l.startsWith("fpr:"))!
        .split(":")[9];
      gpg(["--quick-add-key", fpr, "ed25519", "sign", "never"]);
      armored = gpg(["--armor", "--export-secret-keys", "sub@example.org"]);
    } finally {
      cleanup();
    }
    const k = await readImportableKey(armored);
    const prepared = await prepareImport(k, {
      newPassphrase: PASSPHRASE,
      confirmPassphrase: PASSPHRASE,
    });
    expect(prepared.userId).toBe("Sub Signer <sub@example.org>");
  });
});
