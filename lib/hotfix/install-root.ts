import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import {
  copyFile,
  lstat,
  mkdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import type { THotfixFile } from "./hotfix-manifest";

// The files of a product's install root as the CLI changes them on a server
// (H4, H6): check what is there against the hotfix, keep the originals, replace
// each file atomically (write beside it, then rename), and put them back.

export class InstallRootError extends Error {
  override name = "InstallRootError";
}

/** The absolute path of a manifest path under the root, refusing anything that leaves it. */
async function inside(root: string, relative: string): Promise<string> {
  const target = path.resolve(root, relative);
  if (!target.startsWith(root + path.sep))
    throw new InstallRootError(`${relative} leaves the install root`);
  // No symbolic link on the way may lead out of the root either.
  let dir = path.dirname(target);
  while (dir.length > root.length) {
    const s = await lstat(dir).catch(() => null);
    if (s?.isSymbolicLink()) {
      const real = await realpath(dir);
      if (!(real + path.sep).startsWith(root + path.sep))
        throw new InstallRootError(`${relative}: ${dir} is a link out of the install root`);
    }
    dir = path.dirname(dir);
  }
  return target;
}

async function sha256Of(file: string): Promise<string | null> {
  const s = await lstat(file).catch(() => null);
  if (!s) return null;
  if (!s.isFile()) throw new InstallRootError(`${file} is not a regular file`);
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

export type TMismatch = { path: string; actual: string | null; expected: string | null };

/** Every file whose content is not what the hotfix expects to override (or to add: nothing there). */
export async function filesNotAsExpected(
  root: string,
  files: readonly THotfixFile[],
  expect: "before" | "after",
): Promise<TMismatch[]> {
  const out: TMismatch[] = [];
  for (const f of files) {
    const actual = await sha256Of(await inside(root, f.path));
    const expected = expect === "before" ? f.sha256Before : f.sha256After;
    if (actual !== expected) out.push({ path: f.path, actual, expected });
  }
  return out;
}

/** The CLI's message for a file that is not the one the hotfix was made for (H6). */
export function mismatchMessage(root: string, m: TMismatch, product: string, version: string) {
  const file = path.join(root, m.path);
  const actual = m.actual ?? "(missing)";
  const expected = m.expected ?? "(no file: the hotfix adds it)";
  return `File ${file}: SHA-256 on disk ${actual} does not match what the hotfix expects to override: ${expected}. The hotfix is not for this version of ${product} (${version}) and cannot be applied.`;
}

async function atomicWrite(target: string, bytes: Buffer, mode: number) {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.patchgate-${randomBytes(6).toString("hex")}`;
  await writeFile(temp, bytes, { mode, flag: "wx" });
  await rename(temp, target);
}

/** Copies every file the hotfix overrides into `backup` (the layout unapply reads back). */
export async function keepOriginals(root: string, backup: string, files: readonly THotfixFile[]) {
  await mkdir(backup, { recursive: true });
  for (const f of files) {
    if (f.sha256Before === null) continue;
    const to = path.join(backup, "files", f.path);
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(await inside(root, f.path), to, constants.COPYFILE_EXCL);
  }
  await writeFile(path.join(backup, "hotfix-files.json"), JSON.stringify(files, null, 2));
}

/** Puts the hotfix's new files in place, each by an atomic rename, keeping the old file's mode. */
export async function replaceFiles(
  root: string,
  files: readonly THotfixFile[],
  contents: ReadonlyMap<string, Buffer>,
) {
  for (const f of files) {
    const target = await inside(root, f.path);
    const mode = (await stat(target).catch(() => null))?.mode ?? 0o644;
    const bytes = contents.get(f.path);
    if (!bytes) throw new InstallRootError(`the hotfix carries no content for ${f.path}`);
    await atomicWrite(target, bytes, mode & 0o7777);
  }
}

/** Restores the originals kept in `backup` and deletes the files the hotfix added. */
export async function restoreOriginals(
  root: string,
  backup: string,
  files: readonly THotfixFile[],
) {
  for (const f of files) {
    const target = await inside(root, f.path);
    if (f.sha256Before === null) {
      await rm(target, { force: true });
      continue;
    }
    const kept = path.join(backup, "files", f.path);
    const bytes = await readFile(kept).catch(() => {
      throw new InstallRootError(`the original of ${f.path} is not kept at ${kept}`);
    });
    const mode = (await stat(target).catch(() => null))?.mode ?? 0o644;
    await atomicWrite(target, bytes, mode & 0o7777);
  }
}

/** SHA-256 of every file of the hotfix as it is now on disk. */
export async function currentHashes(root: string, files: readonly THotfixFile[]) {
  const out: Record<string, string> = {};
  for (const f of files) out[f.path] = (await sha256Of(await inside(root, f.path))) ?? "";
  return out;
}
