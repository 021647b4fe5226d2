import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { describe, expect, it } from "vitest";
import { hotfixArchive, sha256, tarGz } from "../../test/hotfix-archives";
import { readHotfix } from "./read-hotfix";

const read = (b: Buffer, opts?: Parameters<typeof readHotfix>[1]) =>
  readHotfix(Readable.from([b]), opts);

describe("readHotfix", () => {
  it("reads the manifest and hashes every file", async () => {
    const gz = await hotfixArchive({
      "api/v2/operations.pyc": ["old", "new"],
      "api/v2/added.py": [null, "added"],
    });
    const r = await read(gz);
    expect(r.manifest.product).toBe("sshmgr");
    expect(r.hashes.get("api/v2/operations.pyc")).toBe(sha256("new"));
    expect(r.manifest.files[1]).toEqual({
      path: "api/v2/added.py",
      sha256Before: null,
      sha256After: sha256("added"),
    });
  });

  it("hands each file's bytes to onFile", async () => {
    const got: Record<string, string> = {};
    await read(await hotfixArchive({ "a/b.txt": ["x", "y"] }), {
      onFile: (p, b) => (got[p] = b.toString()),
    });
    expect(got).toEqual({ "a/b.txt": "y" });
  });

  it.each([
    [
      "a symbolic link",
      [{ path: "files/evil", type: "SymbolicLink", linkpath: "/etc/passwd" }],
      /SymbolicLink entry/,
    ],
    ["a hard link", [{ path: "files/evil", type: "Link", linkpath: "hotfix.json" }], /Link entry/],
    ["a device", [{ path: "files/dev", type: "CharacterDevice" }], /CharacterDevice entry/],
    [
      "a .. path",
      [{ path: "files/../../etc/cron.d/x", body: "x" }],
      /not hotfix.json or a safe path/,
    ],
    [
      "an absolute path",
      [{ path: "/etc/passwd", body: "x" }],
      /safe path|absolute|not hotfix.json/,
    ],
    ["a file outside files/", [{ path: "run.sh", body: "x" }], /not hotfix.json or a safe path/],
  ] as const)("refuses %s", async (_label, extra, message) => {
    const gz = await hotfixArchive({ "a.txt": ["1", "2"] }, {}, [...extra]);
    await expect(read(gz)).rejects.toThrow(message);
  });

  it("refuses a manifest that does not match the files", async () => {
    const manifest = {
      product: "sshmgr",
      version: "3.0.0",
      files: [{ path: "a", sha256Before: null, sha256After: sha256("x") }],
    };
    const wrongHash = await tarGz([
      { path: "hotfix.json", body: JSON.stringify(manifest) },
      { path: "files/a", body: "y" },
    ]);
    await expect(read(wrongHash)).rejects.toThrow(/files\/a has SHA-256/);
    const unlisted = await tarGz([
      { path: "hotfix.json", body: JSON.stringify(manifest) },
      { path: "files/a", body: "x" },
      { path: "files/b", body: "z" },
    ]);
    await expect(read(unlisted)).rejects.toThrow(/files\/b is not listed/);
    const missing = await tarGz([{ path: "hotfix.json", body: JSON.stringify(manifest) }]);
    await expect(read(missing)).rejects.toThrow(/lists a, which is not under files/);
  });

  it("refuses an archive without hotfix.json, or with a bad one", async () => {
    await expect(read(await tarGz([{ path: "files/a", body: "x" }]))).rejects.toThrow(/missing/);
    await expect(read(await tarGz([{ path: "hotfix.json", body: "{" }]))).rejects.toThrow(
      /not JSON/,
    );
    await expect(
      read(
        await tarGz([
          { path: "hotfix.json", body: JSON.stringify({ product: "p", version: "1", files: [] }) },
        ]),
      ),
    ).rejects.toThrow(/version x\.y\.z/);
  });

  it("refuses what is not a gzip tar", async () => {
    await expect(read(Buffer.from("just text"))).rejects.toThrow(/not a gzip-compressed tar/);
  });

  it("stops a gzip bomb while it inflates, without holding it", async () => {
    // 24 MB of zeros compress to about 24 KB; the cap here is 4 MB.
    const zeros = Readable.from(
      (function* () {
        for (let i = 0; i < 24; i++) yield Buffer.alloc(1024 * 1024);
      })(),
    );
    const chunks: Buffer[] = [];
    for await (const c of zeros.pipe(createGzip({ level: 1 }))) chunks.push(c as Buffer);
    const bomb = Buffer.concat(chunks);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(read(bomb, { maxUnpackedBytes: 4 * 1024 * 1024 })).rejects.toThrow(
      /more than 4 MB/,
    );
  }, 30_000);
});
