import { execFileSync } from "node:child_process";
import * as openpgp from "openpgp";
import { describe, expect, it } from "vitest";
import { gpgHome } from "../../peers/gpg";
import { vendorPgpKey } from "../../test/update-corpus";
import { isAppError } from "../errors";
import { readVendorPgpKey } from "./vendor-pgp-key";

async function refusal(bytes: Uint8Array): Promise<{ code: string; message: string }> {
  try {
    await readVendorPgpKey(bytes);
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("accepted");
}

const text = (s: string) => new Uint8Array(Buffer.from(s));

describe("readVendorPgpKey", () => {
  it("reads an armored key: upper-case fingerprint, user IDs, the public key re-armored", async () => {
    const k = await vendorPgpKey("vendor");
    const key = await readVendorPgpKey(text(k.publicKey));
    expect(key.fingerprint).toBe(k.fingerprint);
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(key.userIds).toEqual(["c-works software update (vendor) <vendor@c-works.example>"]);
    expect(key.armored).toContain("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    expect(key.armored).not.toContain("PRIVATE");
    expect(key.expiresAt).toBeNull();
  });

  it("reads the vendor's key as gpg exports it, binary or armored, with its expiry", async () => {
    const { gpg, home, cleanup } = gpgHome();
    try {
      gpg([
        "--quick-gen-key",
        "c-works software update <update@c-works.example>",
        "ed25519",
        "sign",
        "2035-01-01",
      ]);
      const armored = gpg(["--armor", "--export", "update@c-works.example"]);
      const binary = execFileSync("gpg", [
        "--homedir",
        home,
        "--batch",
        "--export",
        "update@c-works.example",
      ]);
      const fromArmor = await readVendorPgpKey(text(armored));
      const fromBinary = await readVendorPgpKey(new Uint8Array(binary));
      expect(fromBinary).toEqual(fromArmor);
      const listed = gpg(["--with-colons", "--fingerprint", "update@c-works.example"]);
      const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(listed)?.[1];
      expect(fromArmor.fingerprint).toBe(fpr);
      expect(fromArmor.userIds).toEqual(["c-works software update <update@c-works.example>"]);
      expect(fromArmor.expiresAt?.toISOString().slice(0, 4)).toBe("2035");
    } finally {
      cleanup();
    }
  });

  it("refuses a private key, a v6 key, several keys and what is not a key", async () => {
    const k = await vendorPgpKey("vendor");
    expect(await refusal(text(k.privateKey))).toMatchObject({
      code: "KEY_REFUSED",
      message: expect.stringMatching(/private key/),
    });
    const v6 = await openpgp.generateKey({
      type: "curve25519",
      config: { v6Keys: true },
      userIDs: [{ name: "v6", email: "v6@example.org" }],
      format: "armored",
    });
    expect(await refusal(text(v6.publicKey))).toMatchObject({
      code: "KEY_REFUSED",
      message: expect.stringMatching(/v6 key/),
    });
    const other = await vendorPgpKey("other");
    expect(await refusal(text(k.publicKey + "\n" + other.publicKey))).toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/found 2/),
    });
    expect(await refusal(text("not a key"))).toMatchObject({ code: "VALIDATION" });
    expect(await refusal(new Uint8Array([0x99, 0x01, 0x02]))).toMatchObject({ code: "VALIDATION" });
    expect(await refusal(new Uint8Array())).toMatchObject({ code: "VALIDATION" });
  });
});
