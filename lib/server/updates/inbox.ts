import "server-only";
import { mkdir, readdir, readFile, rename, stat } from "node:fs/promises";
import path from "node:path";
import { db } from "../../db";
import { WORKER_ACTOR } from "../../auth/actor";
import { isAppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { isInboxPackageName } from "../../domain/package-file";
import { ZInstallationSlug } from "./installations";
import { maxPackageBytes, receivePackage } from "./receive-package";

// U1, the drop directory: UPDATE_INBOX_DIR/<installation slug>/ holds files as
// they arrive (the seed's virtual file name OS4X_UPDATE, or any *.signed). The
// worker polls it (workers/runtime.ts); this is one poll, free of timers.
//
// - A file is taken once its size and modification time are the same on two
//   polls in a row: one still being written waits.
// - It goes through receivePackage (channel INBOX, the worker as actor) with
//   the key "<slug>/<file name>/<sha256>": a file taken in before a crash is
//   recognised after the restart, never verified twice.
// - Then it moves to <slug>/processed/<file name>.<package id>.
// - Past MAX_PACKAGE_BYTES it moves to <slug>/rejected/ with a log line.
// - A folder naming no installation is logged (once) and left alone.

export const PROCESSED_DIR = "processed";
export const REJECTED_DIR = "rejected";

type TLogFn = (obj: object, msg: string) => void;
export type TInboxLog = { info: TLogFn; warn: TLogFn; error: TLogFn };

export type TInboxState = {
  /** Size and mtime of each waiting file at the last poll. */
  seen: Map<string, { size: number; mtimeMs: number }>;
  /** Folders already reported as naming no installation. */
  warned: Set<string>;
};

export function newInboxState(): TInboxState {
  return { seen: new Map(), warned: new Set() };
}

export type TInboxReport = {
  taken: { slug: string; file: string; id: string; state: "VERIFIED" | "QUARANTINED" }[];
  rejected: { slug: string; file: string; bytes: number }[];
  waiting: number;
};

/** "20261202T170501Z": a moved file's suffix where it has no package id. */
function stamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

async function moveInto(folder: string, sub: string, name: string, newName: string) {
  const target = path.join(folder, sub);
  await mkdir(target, { recursive: true });
  const to = path.join(target, newName);
  await rename(path.join(folder, name), to);
  return to;
}

/** One poll of the drop directory. */
export async function scanInbox({
  dir,
  state,
  log,
  maxBytes = maxPackageBytes(),
}: {
  dir: string;
  state: TInboxState;
  log: TInboxLog;
  maxBytes?: number;
}): Promise<TInboxReport> {
  const report: TInboxReport = { taken: [], rejected: [], waiting: 0 };
  await mkdir(dir, { recursive: true });
  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  if (folders.length === 0) return report;
  const known = new Set(
    (await db.installation.findMany({ select: { slug: true } })).map((i) => i.slug),
  );
  const seenNow = new Map<string, { size: number; mtimeMs: number }>();

  for (const folder of folders) {
    const slug = folder.name;
    const folderPath = path.join(dir, slug);
    if (!ZInstallationSlug.safeParse(slug).success || !known.has(slug)) {
      if (!state.warned.has(slug)) {
        state.warned.add(slug);
        log.warn(
          { folder: folderPath },
          `update inbox: ${slug}/ names no installation; its files are left alone`,
        );
      }
      continue;
    }
    state.warned.delete(slug);
    const entries = await readdir(folderPath, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !isInboxPackageName(entry.name)) continue;
      const name = entry.name;
      const filePath = path.join(folderPath, name);
      try {
        const s = await stat(filePath);
        if (s.size > maxBytes) {
          const to = await moveInto(folderPath, REJECTED_DIR, name, `${name}.${stamp()}`);
          report.rejected.push({ slug, file: name, bytes: s.size });
          log.warn(
            { file: filePath, movedTo: to, bytes: s.size, limit: maxBytes },
            `update inbox: ${slug}/${name} is ${s.size} bytes, larger than MAX_PACKAGE_BYTES (${maxBytes}); moved to ${REJECTED_DIR}/`,
          );
          continue;
        }
        const before = state.seen.get(filePath);
        if (!before || before.size !== s.size || before.mtimeMs !== s.mtimeMs) {
          // New, or still growing: look again at the next poll.
          seenNow.set(filePath, { size: s.size, mtimeMs: s.mtimeMs });
          report.waiting += 1;
          continue;
        }
        const data = new Uint8Array(await readFile(filePath));
        const sha256 = sha256Hex(data);
        const result = await receivePackage({
          actor: WORKER_ACTOR,
          slug,
          channel: "INBOX",
          fileName: name,
          data,
          inboxKey: `${slug}/${name}/${sha256}`,
        });
        const to = await moveInto(folderPath, PROCESSED_DIR, name, `${name}.${result.id}`);
        report.taken.push({ slug, file: name, id: result.id, state: result.state });
        log.info(
          { file: filePath, movedTo: to, packageId: result.id, state: result.state },
          `update inbox: ${slug}/${name} taken in as package ${result.id}: ${result.state}`,
        );
      } catch (e) {
        if (isAppError(e) && e.code === "PAYLOAD_TOO_LARGE") {
          // It grew past the limit between the size check and the read.
          await moveInto(folderPath, REJECTED_DIR, name, `${name}.${stamp()}`).catch(() => null);
          report.rejected.push({ slug, file: name, bytes: -1 });
          log.warn({ file: filePath }, `update inbox: ${slug}/${name}: ${e.message}`);
          continue;
        }
        // Another worker took it in and moved it meanwhile: nothing left to do.
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        // The file stays where it is and is tried again at the next poll.
        log.error(
          { file: filePath, err: (e as Error).message },
          `update inbox: ${slug}/${name} could not be taken in`,
        );
      }
    }
  }
  state.seen = seenNow;
  return report;
}
