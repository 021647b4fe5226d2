import { generateKeyPairSync } from "node:crypto";
import { describe, expect, test } from "vitest";
import { AppError } from "../errors";
import {
  formatCheckpoint,
  logOrigin,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
} from "./checkpoint";
import { leafHash, rootOf } from "./merkle";
import { parseNote, signNote, vkeyOf } from "./signed-note";

function outcome(f: () => unknown): string {
  try {
    f();
    return "accepted";
  } catch (e) {
    if (e instanceof AppError) return String(e.details?.reason);
    throw e;
  }
}

const origin = "patchgate.example/patchgate-log";
const key = generateKeyPairSync("ed25519").privateKey;
const vkey = vkeyOf(origin, key);
const rootHash = rootOf(["a", "b", "c"].map((s) => leafHash(new TextEncoder().encode(s))));
const checkpoint = { origin, treeSize: 3, rootHash };

describe("the checkpoint body", () => {
  test("is origin, size and base64 root, one per line", () => {
    expect(formatCheckpoint(checkpoint)).toBe(
      `${origin}\n3\n${Buffer.from(rootHash).toString("base64")}\n`,
    );
    expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
  });

  test("reads the C2SP spec's example", () => {
    const example =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" +
      "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
    const c = parseCheckpoint(parseNote(example).body);
    expect(c.origin).toBe("example.com/behind-the-sofa");
    expect(c.treeSize).toBe(20852163);
    expect(Buffer.from(c.rootHash).toString("hex")).toBe(
      "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62",
    );
  });

  const root64 = Buffer.from(rootHash).toString("base64");
  test.each([
    ["two lines", `${origin}\n3\n`],
    ["an extension line", `${origin}\n3\n${root64}\nextra\n`],
    ["no final newline", `${origin}\n3\n${root64}`],
    ["an empty origin", `\n3\n${root64}\n`],
    ["a leading zero", `${origin}\n03\n${root64}\n`],
    ["a sign", `${origin}\n+3\n${root64}\n`],
    ["a size beyond 2^53", `${origin}\n18446744073709551615\n${root64}\n`],
    ["a short root", `${origin}\n3\n${Buffer.alloc(31).toString("base64")}\n`],
    ["unpadded base64", `${origin}\n3\n${root64.replace(/=$/, "")}\n`],
  ])("with %s is refused", (_what, body) => {
    expect(outcome(() => parseCheckpoint(body))).toBe("malformed-checkpoint");
  });

  test("an empty tree has size 0 and SHA-256('') as root", () => {
    const empty = { origin, treeSize: 0, rootHash: rootOf([]) };
    expect(formatCheckpoint(empty)).toBe(
      `${origin}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`,
    );
  });
});

describe("the signed checkpoint", () => {
  test("round trip through the note key", () => {
    const note = signCheckpoint(checkpoint, key);
    expect(note.startsWith(formatCheckpoint(checkpoint) + "\n\u2014 " + origin + " ")).toBe(true);
    expect(verifyCheckpoint(note, vkey)).toEqual(checkpoint);
  });

  test("an edited size or root is refused", () => {
    const note = signCheckpoint(checkpoint, key);
    expect(outcome(() => verifyCheckpoint(note.replace("\n3\n", "\n4\n"), vkey))).toBe(
      "bad-signature",
    );
    const otherRoot = Buffer.from(rootOf([leafHash(new Uint8Array())])).toString("base64");
    const edited = note.replace(Buffer.from(rootHash).toString("base64"), otherRoot);
    expect(outcome(() => verifyCheckpoint(edited, vkey))).toBe("bad-signature");
  });

  test("another key's checkpoint is refused", () => {
    const other = generateKeyPairSync("ed25519").privateKey;
    expect(outcome(() => verifyCheckpoint(signCheckpoint(checkpoint, other), vkey))).toBe(
      "unknown-key",
    );
  });

  test("a checkpoint for another origin, signed by our key, is refused", () => {
    const body = formatCheckpoint({ ...checkpoint, origin: "elsewhere.example/log" });
    expect(outcome(() => verifyCheckpoint(signNote(body, origin, key), vkey))).toBe(
      "origin-mismatch",
    );
  });

  test("a witness's cosignature line beside ours is ignored", () => {
    const note = signCheckpoint(checkpoint, key);
    const witness = signNote(
      formatCheckpoint(checkpoint),
      "witness.example/w",
      generateKeyPairSync("ed25519").privateKey,
    );
    const both = note + witness.slice(formatCheckpoint(checkpoint).length + 1);
    expect(verifyCheckpoint(both, vkey)).toEqual(checkpoint);
  });
});

describe("the origin", () => {
  test("defaults to the public URL's host and /patchgate-log; LOG_ORIGIN overrides", () => {
    expect(logOrigin("https://patchgate.example:8443/")).toBe(
      "patchgate.example:8443/patchgate-log",
    );
    expect(logOrigin("https://patchgate.example/", "log.example/p")).toBe("log.example/p");
    expect(() => logOrigin("https://patchgate.example/", "has space")).toThrow(RangeError);
  });
});
