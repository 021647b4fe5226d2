import { createGzip, gzipSync } from "node:zlib";
import { Header } from "tar";
import { describe, expect, it } from "vitest";
import { DossierArchiveError, MAX_UNPACKED_BYTES, packDossier, readDossier } from "./archive";

/** Zeros past the decompression cap, gzipped a MiB at a time (a few hundred KiB of input). */
async function gzipBomb(bytes: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gz.on("end", resolve));
  const mib = Buffer.alloc(1024 * 1024);
  for (let left = bytes; left > 0; left -= mib.length) {
    if (!gz.write(left >= mib.length ? mib : mib.subarray(0, left)))
      await new Promise((resolve) => gz.once("drain", resolve));
  }
  gz.end();
  await done;
  return Buffer.concat(out);
}

type TRawEntry = {
  path: string;
  type?: "File" | "SymbolicLink" | "Link" | "Directory";
  data?: string;
  linkpath?: string;
};

/** A hand-made tar.gz, so the reader meets entries a friendly packer would never write. */
function rawTarGz(entries: TRawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? "");
    const header = new Header({
      path: e.path,
      type: e.type ?? "File",
      size: e.type && e.type !== "File" ? 0 : data.length,
      mode: 0o644,
      linkpath: e.linkpath,
      mtime: new Date(0),
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (data.length && (e.type ?? "File") === "File")
      blocks.push(Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe("the dossier archive", () => {
  it("round-trips files under one directory, byte for byte", async () => {
    const files = new Map<string, Uint8Array>([
      ["manifest.json", Buffer.from("{}\n")],
      ["statements/01-submit-submit-r1.txt", Buffer.from("patchgate-statement v1\n")],
      ["revisions/r1.diff", Buffer.from([0, 255, 10, 13])],
    ]);
    const gz = await packDossier("patch-7", files, new Date("2026-01-02T03:04:05Z"));
    const read = await readDossier(gz);
    expect(read.root).toBe("patch-7");
    expect([...read.files.keys()]).toEqual([...files.keys()]);
    for (const [name, bytes] of files)
      expect(Buffer.from(read.files.get(name)!).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each<[string, TRawEntry[], RegExp]>([
    [
      "a symbolic link",
      [{ path: "patch-1/keys/a.asc", type: "SymbolicLink", linkpath: "/etc/passwd" }],
      /SymbolicLink entry/,
    ],
    [
      "a hard link",
      [
        { path: "patch-1/a", data: "x" },
        { path: "patch-1/b", type: "Link", linkpath: "patch-1/a" },
      ],
      /Link entry/,
    ],
    ["a .. path", [{ path: "patch-1/../evil.txt", data: "x" }], /unsafe path/],
    ["an absolute path", [{ path: "/tmp/evil.txt", data: "x" }], /unsafe path/],
    [
      "two top-level directories",
      [
        { path: "patch-1/a", data: "x" },
        { path: "patch-2/b", data: "y" },
      ],
      /second top-level/,
    ],
    [
      "a file beside the directory",
      [{ path: "README", data: "x" }],
      /outside the dossier's directory/,
    ],
    [
      "a file twice",
      [
        { path: "patch-1/a", data: "x" },
        { path: "patch-1/a", data: "y" },
      ],
      /appears twice/,
    ],
  ])("refuses %s", async (_name, entries, message) => {
    await expect(readDossier(rawTarGz(entries))).rejects.toThrow(message);
  });

  it("refuses what is not a gzip file, and an empty archive", async () => {
    await expect(readDossier(Buffer.from("not gzip"))).rejects.toBeInstanceOf(DossierArchiveError);
    await expect(readDossier(rawTarGz([]))).rejects.toBeInstanceOf(DossierArchiveError);
  });

  it("stops a gzip bomb at the decompression cap", async () => {
    // A MiB past the cap of zeros compresses to well under a MiB.
    const bomb = await gzipBomb(MAX_UNPACKED_BYTES + 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(readDossier(bomb)).rejects.toThrow(/not a readable \.tar\.gz/);
  }, 60_000);
});
