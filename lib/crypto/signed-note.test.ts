import { generateKeyPairSync } from "node:crypto";
import { describe, expect, test } from "vitest";
import { AppError } from "../errors";
import {
  formatSignerKey,
  keyIdOf,
  parseNote,
  parseSignerKey,
  parseVkey,
  rawPublicKey,
  signNote,
  verifyNote,
  vkeyOf,
} from "./signed-note";

/** The refusal's reason, or "accepted". */
function outcome(f: () => unknown): string {
  try {
    f();
    return "accepted";
  } catch (e) {
    if (e instanceof AppError) return String(e.details?.reason);
    throw e;
  }
}

// golang.org/x/mod/sumdb/note's documented example: a fixed key and the exact
// note it produces (Ed25519 is deterministic, so signing must reproduce it).
const GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\n" +
  "then you don't know what your problem is.\n";
const GO_NOTE =
  GO_TEXT +
  "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

// The example of c2sp.org/signed-note ("Verifier keys").
const SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const SPEC_NOTE =
  "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

const newKey = () => generateKeyPairSync("ed25519").privateKey;

describe("known vectors", () => {
  test("Go's sumdb/note example: same key ID, vkey, signer key and signed note byte for byte", () => {
    const { name, privateKey } = parseSignerKey(GO_SKEY);
    expect(name).toBe("PeterNeumann");
    expect(keyIdOf(name, privateKey)).toBe("c74f20a3");
    expect(vkeyOf(name, privateKey)).toBe(GO_VKEY);
    expect(formatSignerKey(name, privateKey)).toBe(GO_SKEY);
    expect(signNote(GO_TEXT, name, privateKey)).toBe(GO_NOTE);
    expect(verifyNote(GO_NOTE, GO_VKEY)).toBe(GO_TEXT);
  });

  test("the C2SP spec's example note verifies with its vkey", () => {
    expect(verifyNote(SPEC_NOTE, SPEC_VKEY)).toBe("This is an example message.\n");
    expect(verifyNote(new TextEncoder().encode(SPEC_NOTE), SPEC_VKEY)).toBe(
      "This is an example message.\n",
    );
    expect(parseVkey(SPEC_VKEY)).toMatchObject({ name: "example.com/foo", keyId: "530d903a" });
  });
});

describe("sign and verify", () => {
  const key = newKey();
  const name = "portal.example/patchgate-log";
  const vkey = vkeyOf(name, key);
  const body = "line one\n\nline three after an empty line\n";

  test("round trip: the verified text is exactly the signed text, empty lines included", () => {
    const note = signNote(body, name, key);
    expect(note.startsWith(body + "\n\u2014 " + name + " ")).toBe(true);
    expect(verifyNote(note, vkey)).toBe(body);
    expect(vkeyOf(name, rawPublicKey(key))).toBe(vkey);
  });

  test("another key, even under the same name, is refused", () => {
    const note = signNote(body, name, newKey());
    expect(outcome(() => verifyNote(note, vkey))).toBe("unknown-key");
  });

  test("an edited text is refused", () => {
    const note = signNote(body, name, key).replace("line one", "line 1");
    expect(outcome(() => verifyNote(note, vkey))).toBe("bad-signature");
  });

  test("a forged signature under our key name and ID is refused", () => {
    const note = signNote(body, name, key);
    const b64 = note.slice(note.lastIndexOf(" ") + 1, -1);
    const raw = Buffer.from(b64, "base64");
    raw[10] ^= 1; // in the signature, after the 4-byte key ID
    const forged = note.replace(b64, raw.toString("base64"));
    expect(outcome(() => verifyNote(forged, vkey))).toBe("bad-signature");
  });

  test("signature lines by unknown keys are ignored, before or after ours", () => {
    const ours = signNote(body, name, key).slice(body.length + 1);
    const theirs = signNote(body, "witness.example/w1", newKey()).slice(body.length + 1);
    expect(verifyNote(`${body}\n${theirs}${ours}`, vkey)).toBe(body);
    expect(verifyNote(`${body}\n${ours}${theirs}`, vkey)).toBe(body);
    expect(parseNote(`${body}\n${theirs}${ours}`).signatures.map((s) => s.name)).toEqual([
      "witness.example/w1",
      name,
    ]);
  });

  test("signNote refuses a text without final newline, and a bad key name", () => {
    expect(() => signNote("no newline", name, key)).toThrow(RangeError);
    expect(() => signNote(body, "has space", key)).toThrow(RangeError);
    expect(() => signNote(body, "a+b", key)).toThrow(RangeError);
  });
});

describe("malformed notes are refused with the reason", () => {
  const key = newKey();
  const name = "log.example/x";
  const vkey = vkeyOf(name, key);
  const good = signNote("text\n", name, key);
  const sigLine = good.slice("text\n\n".length);

  test.each([
    ["no blank line before the signatures", `text\n${sigLine}`, /no blank line/],
    ["a hyphen instead of the em dash", good.replace("\u2014", "-"), /does not start with/],
    ["no final newline", good.slice(0, -1), /do not end with a newline/],
    ["no signature at all", "text\n\n", /missing/],
    ["a control character", good.replace("text", "te\u0007xt"), /control character/],
    ["a carriage return", good.replace("text\n", "text\r\n"), /control character/],
    ["signature not base64", good.replace(/ \S+\n$/u, " not*base64\n"), /not base64/],
    ["signature too short", good.replace(/ \S+\n$/u, " AAAA\n"), /not base64/],
    ["no space after the key name", `text\n\n\u2014 ${name}\n`, /no space/],
    ["an empty key name", `text\n\n\u2014  ${sigLine.split(" ")[2]}`, /invalid key name/],
    ["more than 100 signatures", `text\n\n${sigLine.repeat(101)}`, /more than 100/],
  ])("%s", (_what, note, message) => {
    expect(() => verifyNote(note, vkey)).toThrow(message);
    expect(outcome(() => verifyNote(note, vkey))).toBe("malformed-note");
  });

  test("bytes that are not UTF-8", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(good), 0xff]);
    expect(outcome(() => verifyNote(bytes, vkey))).toBe("malformed-note");
  });
});

describe("verifier keys", () => {
  test.each([
    ["no separators", "example.com/foo"],
    ["wrong key ID", SPEC_VKEY.replace("530d903a", "530d903b")],
    ["upper-case key ID", SPEC_VKEY.replace("530d903a", "530D903A")],
    ["not a type-1 key", SPEC_VKEY.replace("+Aeky", "+Aiky")],
    ["key of the wrong length", SPEC_VKEY.slice(0, -4)],
    ["empty name", SPEC_VKEY.replace("example.com/foo", "")],
  ])("%s is refused", (_what, vkey) => {
    expect(outcome(() => parseVkey(vkey))).toBe("malformed-vkey");
  });

  test("a signer key whose ID does not match is refused", () => {
    expect(outcome(() => parseSignerKey(GO_SKEY.replace("c74f20a3", "c74f20a4")))).toBe(
      "malformed-vkey",
    );
  });
});
