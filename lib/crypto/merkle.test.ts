import { describe, expect, test } from "vitest";
import {
  consistencyRanges,
  EMPTY_ROOT,
  foldParts,
  inclusionRanges,
  leafHash,
  perfectParts,
  rootOf,
  type TRange,
  verifyConsistency,
  verifyInclusion,
} from "./merkle";

const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");

// The eight leaves and their roots used by RFC 6962's reference tests (and by
// transparency-dev/merkle's testonly/constants.go).
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(hex);
const ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const leafHashes = LEAVES.map(leafHash);

/** A proof the way the server makes it: ranges → perfect parts → their hashes → fold. */
function hashesOf(ranges: TRange[]): Uint8Array[] {
  return ranges.map((r) =>
    foldParts(
      perfectParts(r).map((p) =>
        rootOf(leafHashes.slice(p.index * 2 ** p.level, (p.index + 1) * 2 ** p.level)),
      ),
    ),
  );
}

describe("the RFC 6962 reference tree", () => {
  test("rootOf gives the published root of every size 0..8", () => {
    expect(toHex(EMPTY_ROOT)).toBe(ROOTS[0]);
    for (let n = 0; n <= 8; n += 1) expect(toHex(rootOf(leafHashes.slice(0, n)))).toBe(ROOTS[n]);
  });

  test("inclusion proofs of RFC 6962's examples have the published hashes and verify", () => {
    // (leaf index, tree size, proof) from transparency-dev/merkle's proofgen.
    const cases: [number, number, string[]][] = [
      [0, 1, []],
      [
        0,
        8,
        [
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
      ],
      [
        5,
        8,
        [
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
      ],
      [2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
      [
        1,
        5,
        [
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
      ],
    ];
    for (const [index, size, want] of cases) {
      const proof = hashesOf(inclusionRanges(index, size));
      expect(proof.map(toHex)).toEqual(want);
      expect(verifyInclusion(leafHashes[index], index, size, proof, hex(ROOTS[size]))).toBe(true);
    }
  });

  test("consistency proofs of RFC 6962's examples have the published hashes and verify", () => {
    const cases: [number, number, string[]][] = [
      [1, 1, []],
      [
        1,
        8,
        [
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
      ],
      [
        6,
        8,
        [
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
      ],
      [
        2,
        5,
        [
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
      ],
      [
        6,
        7,
        [
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
      ],
    ];
    for (const [from, to, want] of cases) {
      const proof = hashesOf(consistencyRanges(from, to));
      expect(proof.map(toHex)).toEqual(want);
      expect(verifyConsistency(from, to, proof, hex(ROOTS[from]), hex(ROOTS[to]))).toBe(true);
    }
  });
});

describe("perfect parts", () => {
  test("a node splits into the binary digits of its length, largest first", () => {
    expect(perfectParts({ start: 0, end: 7 })).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectParts({ start: 8, end: 16 })).toEqual([{ level: 3, index: 1 }]);
    expect(perfectParts({ start: 4, end: 4 })).toEqual([]);
  });

  test("refuses what is not a range, and what has no proof", () => {
    expect(() => perfectParts({ start: 3, end: 2 })).toThrow(RangeError);
    expect(() => inclusionRanges(3, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(4, 3)).toThrow(RangeError);
  });
});
