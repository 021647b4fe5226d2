import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { verifyConsistency, verifyInclusion } from "./merkle";
import { verifySubtreeConsistency, verifySubtreeInclusion } from "./merkle-subtree";

// transparency-dev/merkle's proof vectors (test/fixtures/merkle/README.md):
// every JSON file is one verification whose expected outcome is `wantErr`.
// Their numbers are Go uint64s; JSON.parse turns the few beyond 2^53 (e.g.
// an index of 2^64 − 1) into inexact numbers, which the verifiers refuse as
// they must: every such vector expects an error.

const ROOT = path.resolve("test/fixtures/merkle/testdata");
const EXPECTED_FILES = 518;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]))
    .filter((f) => f.endsWith(".json"))
    .sort();
}

const files = walk(ROOT).map((f) => path.relative(ROOT, f));

const b64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));
const hashes = (list: string[] | null) => (list ?? []).map(b64);

type TVector = Record<string, unknown> & { wantErr: boolean; proof: string[] | null };

// Each folder's vectors call the verifier of the same name in transparency-dev/merkle's proof package.
const verifiers: Record<string, (v: TVector) => boolean> = {
  inclusion: (v) =>
    verifyInclusion(
      b64(v.leafHash as string),
      v.leafIdx as number,
      v.treeSize as number,
      hashes(v.proof),
      b64(v.root as string),
    ),
  subtreeinclusion: (v) =>
    verifySubtreeInclusion(
      b64(v.leafHash as string),
      v.leafIdx as number,
      v.start as number,
      v.end as number,
      hashes(v.proof),
      b64(v.root as string),
    ),
  consistency: (v) =>
    verifyConsistency(
      v.size1 as number,
      v.size2 as number,
      hashes(v.proof),
      b64(v.root1 as string),
      b64(v.root2 as string),
    ),
  subtreeconsistency: (v) =>
    verifySubtreeConsistency(
      v.start as number,
      v.end as number,
      v.size as number,
      hashes(v.proof),
      b64(v.root1 as string),
      b64(v.root2 as string),
    ),
};

describe("transparency-dev/merkle test vectors", () => {
  test(`all ${EXPECTED_FILES} vector files are found, in the four known folders`, () => {
    expect(files).toHaveLength(EXPECTED_FILES);
    const folders = new Set(files.map((f) => f.split(path.sep)[0]));
    expect([...folders].sort()).toEqual(Object.keys(verifiers).sort());
  });

  test.each(files)("%s", (file) => {
    const vector = JSON.parse(readFileSync(path.join(ROOT, file), "utf8")) as TVector;
    const verify = verifiers[file.split(path.sep)[0]];
    expect(typeof vector.wantErr).toBe("boolean");
    expect(verify(vector)).toBe(!vector.wantErr);
  });
});
