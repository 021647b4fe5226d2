import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { AppError } from "../../errors";

// P9: where the tarball of step 7 is found. An upload in the browser is stored
// under TARBALL_DIR/uploaded/<sha256> (its bytes name it, so one upload never
// overwrites another); a tarball the operator copies from the production
// server lies at TARBALL_DIR/<name>. The worker mirrors the first that exists,
// and only if its bytes have the SHA-256 step 7 recorded.

export function uploadedTarballPath(dir: string, sha256: string): string {
  return path.join(dir, "uploaded", sha256);
}

export function namedTarballPath(dir: string, name: string): string {
  return path.join(dir, name);
}

/** Where the worker looks, in order: the upload with that hash, then the file of that name. */
export function tarballCandidates(dir: string, name: string, sha256: string | null): string[] {
  return [...(sha256 ? [uploadedTarballPath(dir, sha256)] : []), namedTarballPath(dir, name)];
}

export async function existingFile(file: string): Promise<{ path: string; bytes: number } | null> {
  const s = await stat(file).catch(() => null);
  return s?.isFile() ? { path: file, bytes: s.size } : null;
}

/** The first candidate present on disk, or null: the worker waits for the file. */
export async function findTarball(dir: string, name: string, sha256: string | null) {
  for (const file of tarballCandidates(dir, name, sha256)) {
    const found = await existingFile(file);
    if (found) return found;
  }
  return null;
}

/**
 * Streams a body to disk, hashing as it goes, and stops at the first byte
 * past `limit`: nothing is buffered whole. The file is renamed to its hash
 * only when complete, so a half upload is never found by the worker.
 */
export async function storeTarball(
  dir: string,
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<{ sha256: string; bytes: number }> {
  const folder = path.join(dir, "uploaded");
  await mkdir(folder, { recursive: true });
  const incoming = path.join(folder, `.incoming-${randomBytes(8).toString("hex")}`);
  const hash = createHash("sha256");
  let bytes = 0;
  const file = createWriteStream(incoming, { mode: 0o640 });
  try {
    await body
      .pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            bytes += chunk.byteLength;
            if (bytes > limit)
              return controller.error(
                new AppError(
                  "PAYLOAD_TOO_LARGE",
                  `The tarball is larger than the limit of ${limit} bytes (MAX_TARBALL_BYTES).`,
                ),
              );
            hash.update(chunk);
            controller.enqueue(chunk);
          },
        }),
      )
      .pipeTo(Writable.toWeb(file) as WritableStream<Uint8Array>);
    if (bytes === 0) throw new AppError("VALIDATION", "The tarball is empty.");
    const sha256 = hash.digest("hex");
    await rename(incoming, uploadedTarballPath(dir, sha256));
    return { sha256, bytes };
  } catch (e) {
    // The file may still be opening: remove it only once the stream has closed, or
    // the open would create it again after the rm.
    file.destroy();
    if (!file.closed) await new Promise<void>((resolve) => file.once("close", () => resolve()));
    await rm(incoming, { force: true });
    throw e;
  }
}
