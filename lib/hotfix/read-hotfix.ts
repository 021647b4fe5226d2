import { createHash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { describeZodIssues } from "../errors";
import { ZHotfixManifest, ZHotfixPath, type THotfixManifest } from "./hotfix-manifest";

// Reads a hotfix archive (a gzip-compressed tar: hotfix.json plus files/<path>)
// as a stream: nothing is unpacked to disk or held whole in memory, links and
// devices are refused, and a gzip bomb stops at the unpacked-size cap while it
// inflates. The portal uses it to check an upload; the CLI to apply one.

export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;
export const MAX_ENTRIES = 10_000;
const MAX_MANIFEST_BYTES = 1024 * 1024;

export class HotfixArchiveError extends Error {
  override name = "HotfixArchiveError";
}

export type TReadHotfixOptions = {
  maxUnpackedBytes?: number;
  /** Called with each files/<path> entry's bytes, e.g. by the CLI staging an apply. */
  onFile?: (path: string, bytes: Buffer) => void;
};

export type THotfixContents = {
  manifest: THotfixManifest;
  /** SHA-256 of every files/<path> entry, by path. */
  hashes: Map<string, string>;
  unpackedBytes: number;
};

function capped(limit: number, counter: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      counter.bytes += chunk.length;
      if (counter.bytes > limit)
        done(new HotfixArchiveError(`unpacks to more than ${limit / 1024 / 1024} MB`));
      else done(null, chunk);
    },
  });
}

/** Reads and checks a hotfix archive. Throws HotfixArchiveError saying what is wrong. */
export async function readHotfix(
  source: Readable,
  options: TReadHotfixOptions = {},
): Promise<THotfixContents> {
  const limit = options.maxUnpackedBytes ?? MAX_UNPACKED_BYTES;
  const counter = { bytes: 0 };
  const hashes = new Map<string, string>();
  const problems: string[] = [];
  let manifestText: string | null = null;
  let entries = 0;

  const parser = new Parser({ strict: true });
  parser.on("entry", (entry: ReadEntry) => {
    entries += 1;
    const path = entry.path.replace(/\/$/, "");
    const problem =
      entries > MAX_ENTRIES
        ? `more than ${MAX_ENTRIES} entries`
        : entry.type === "Directory"
          ? path === "files" ||
            (path.startsWith("files/") && ZHotfixPath.safeParse(path.slice(6)).success)
            ? "skip"
            : `${entry.path}: a directory outside files/`
          : entry.type !== "File" && entry.type !== "OldFile"
            ? `${entry.path}: a ${entry.type} entry (only plain files are allowed)`
            : path === "hotfix.json"
              ? null
              : !path.startsWith("files/") || !ZHotfixPath.safeParse(path.slice(6)).success
                ? `${entry.path}: not hotfix.json or a safe path under files/`
                : hashes.has(path.slice(6))
                  ? `${entry.path}: appears twice`
                  : null;
    if (problem) {
      if (problem !== "skip") problems.push(problem);
      entry.resume();
      return;
    }
    if (path === "hotfix.json") {
      const chunks: Buffer[] = [];
      let size = 0;
      entry.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= MAX_MANIFEST_BYTES) chunks.push(c);
      });
      entry.on("end", () => {
        if (size > MAX_MANIFEST_BYTES) problems.push("hotfix.json is larger than 1 MB");
        else manifestText = Buffer.concat(chunks).toString("utf8");
      });
      return;
    }
    const file = path.slice("files/".length);
    const hash = createHash("sha256");
    const keep: Buffer[] | null = options.onFile ? [] : null;
    entry.on("data", (c: Buffer) => {
      hash.update(c);
      keep?.push(c);
    });
    entry.on("end", () => {
      hashes.set(file, hash.digest("hex"));
      if (keep) options.onFile?.(file, Buffer.concat(keep));
    });
  });
  parser.on("warn", (code: string, message: string) => problems.push(`tar: ${code} ${message}`));

  try {
    await pipeline(source, createGunzip(), capped(limit, counter), parser);
  } catch (e) {
    if (e instanceof HotfixArchiveError) throw e;
    throw new HotfixArchiveError(`not a gzip-compressed tar: ${(e as Error).message}`);
  }
  if (problems.length) throw new HotfixArchiveError(problems.join("; "));
  if (manifestText === null) throw new HotfixArchiveError("hotfix.json is missing");

  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch {
    throw new HotfixArchiveError("hotfix.json is not JSON");
  }
  const parsed = ZHotfixManifest.safeParse(json);
  if (!parsed.success)
    throw new HotfixArchiveError(`hotfix.json: ${describeZodIssues(parsed.error.issues)}`);
  const manifest = parsed.data;

  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (listed.has(f.path)) problems.push(`hotfix.json lists ${f.path} twice`);
    listed.add(f.path);
    const actual = hashes.get(f.path);
    if (!actual) problems.push(`hotfix.json lists ${f.path}, which is not under files/`);
    else if (actual !== f.sha256After)
      problems.push(`files/${f.path} has SHA-256 ${actual}, hotfix.json says ${f.sha256After}`);
  }
  for (const path of hashes.keys())
    if (!listed.has(path)) problems.push(`files/${path} is not listed in hotfix.json`);
  if (problems.length)
    throw new HotfixArchiveError(`the manifest does not match the files: ${problems.join("; ")}`);
  return { manifest, hashes, unpackedBytes: counter.bytes };
}
