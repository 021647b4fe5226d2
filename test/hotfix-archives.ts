import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { Header, Pack, ReadEntry } from "tar";

// Builds hotfix archives in memory for tests, hostile ones included.

export type TEntry = {
  path: string;
  body?: string | Buffer;
  type?: "File" | "Directory" | "SymbolicLink" | "Link" | "CharacterDevice";
  linkpath?: string;
};

export const sha256 = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");

export async function tarGz(entries: TEntry[]): Promise<Buffer> {
  const pack = new Pack({ portable: true });
  const chunks: Buffer[] = [];
  pack.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    pack.on("end", () => resolve());
    pack.on("error", reject);
  });
  for (const e of entries) {
    const body = Buffer.from(e.body ?? "");
    const type = e.type ?? "File";
    const entry = new ReadEntry(
      new Header({
        path: e.path,
        type,
        size: type === "File" ? body.length : 0,
        mode: 0o644,
        linkpath: e.linkpath,
        mtime: new Date(0),
      }),
    );
    pack.add(entry);
    if (type === "File") entry.end(body);
    else entry.end();
  }
  pack.end();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A well-formed hotfix: `files` maps path -> [before content or null, after content]. */
export async function hotfixArchive(
  files: Record<string, [string | null, string]>,
  meta: { product?: string; version?: string } = {},
  extra: TEntry[] = [],
): Promise<Buffer> {
  const manifest = {
    product: meta.product ?? "sshmgr",
    version: meta.version ?? "3.0.0",
    files: Object.entries(files).map(([path, [before, after]]) => ({
      path,
      sha256Before: before === null ? null : sha256(before),
      sha256After: sha256(after),
    })),
  };
  return tarGz([
    { path: "hotfix.json", body: JSON.stringify(manifest) },
    ...Object.entries(files).map(([path, [, after]]) => ({ path: `files/${path}`, body: after })),
    ...extra,
  ]);
}
