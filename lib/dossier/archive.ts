import { gunzipSync } from "node:zlib";
import { Header, Pack, Parser, ReadEntry } from "tar";

// The dossier as a .tar.gz, written and read in memory with the `tar` package:
// nothing is shelled out, nothing is extracted to disk. Reading refuses links,
// devices, absolute or ".." paths and more than one top-level directory, and
// caps the decompressed size (a gzip bomb stops at the cap).

// An update package's bundle carries the file as received and its content, so
// it holds a package at the intake limit (MAX_PACKAGE_BYTES, 128 MiB) twice.
export const MAX_DOSSIER_BYTES = 320 * 1024 * 1024;
export const MAX_UNPACKED_BYTES = 640 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

export class DossierArchiveError extends Error {
  override name = "DossierArchiveError";
}

/** Packs `root/<name>` for every file, in the map's order, with one fixed mtime. */
export async function packDossier(
  root: string,
  files: ReadonlyMap<string, Uint8Array>,
  mtime: Date,
): Promise<Buffer> {
  const pack = new Pack({ portable: true, gzip: true, mtime });
  const chunks: Buffer[] = [];
  pack.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    pack.on("end", () => resolve());
    pack.on("error", reject);
  });
  for (const [name, bytes] of files) {
    const entry = new ReadEntry(
      new Header({ path: `${root}/${name}`, type: "File", size: bytes.length, mode: 0o644, mtime }),
    );
    pack.add(entry);
    entry.end(Buffer.from(bytes));
  }
  pack.end();
  await done;
  return Buffer.concat(chunks);
}

const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Reads a dossier into `name -> bytes` under its one top-level directory. Throws DossierArchiveError. */
export async function readDossier(
  gz: Uint8Array,
): Promise<{ root: string; files: Map<string, Uint8Array> }> {
  if (gz.length > MAX_DOSSIER_BYTES)
    throw new DossierArchiveError(`the dossier is larger than ${MAX_DOSSIER_BYTES} bytes`);
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(gz, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (e) {
    throw new DossierArchiveError(`not a readable .tar.gz: ${(e as Error).message}`);
  }

  const files = new Map<string, Uint8Array>();
  const problems: string[] = [];
  let root: string | null = null;
  let entries = 0;
  const parser = new Parser({ strict: true });
  const finished = new Promise<void>((resolve, reject) => {
    parser.on("end", () => resolve());
    parser.on("error", reject);
  });
  parser.on("entry", (entry: ReadEntry) => {
    entries += 1;
    const segments = entry.path.replace(/\/$/, "").split("/");
    const bad =
      entries > MAX_ENTRIES
        ? "too many entries"
        : entry.path.startsWith("/") || !segments.every((s) => SAFE_SEGMENT.test(s))
          ? "an unsafe path"
          : root !== null && segments[0] !== root
            ? "a second top-level directory"
            : entry.type !== "File" && entry.type !== "OldFile" && entry.type !== "Directory"
              ? `a ${entry.type} entry (only plain files are allowed)`
              : null;
    if (bad) {
      problems.push(`${entry.path}: ${bad}`);
      entry.resume();
      return;
    }
    root ??= segments[0];
    if (entry.type === "Directory" || segments.length < 2) {
      if (entry.type !== "Directory")
        problems.push(`${entry.path}: a file outside the dossier's directory`);
      entry.resume();
      return;
    }
    const name = segments.slice(1).join("/");
    if (files.has(name)) problems.push(`${entry.path}: appears twice`);
    const chunks: Buffer[] = [];
    entry.on("data", (c: Buffer) => chunks.push(c));
    entry.on("end", () => files.set(name, Buffer.concat(chunks)));
  });
  parser.on("warn", (code: string, message: string) =>
    problems.push(`archive: ${code} ${message}`),
  );
  parser.end(tarBytes);
  try {
    await finished;
  } catch (e) {
    throw new DossierArchiveError(`not a readable tar archive: ${(e as Error).message}`);
  }
  if (problems.length) throw new DossierArchiveError(problems.join("; "));
  if (!root) throw new DossierArchiveError("the archive is empty");
  return { root, files };
}
