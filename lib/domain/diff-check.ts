import { parsePatch } from "diff";
import { AppError } from "../errors";

// Uploaded diffs are data: parsed, never executed (CVE-2019-13638, CVE-2018-1000156).

export const MAX_FILES_PER_DIFF = 500;

export type TDiffSummary = { files: { path: string; added: number; removed: number }[] };

function refuse(message: string, reason: string): never {
  throw new AppError("VALIDATION", message, { reason });
}

/** "a/www/index.php" -> "www/index.php"; null for /dev/null (a created or deleted file). */
function cleanPath(raw: string | undefined): string | null {
  const name = (raw ?? "").split("\t")[0].trim();
  if (name === "/dev/null") return null;
  if (!name) refuse("A file header (--- / +++) names no file.", "no-path");
  if (name.startsWith("/") || /^[A-Za-z]:[\\/]/.test(name)) refuse(`The path ${name} is absolute; patches must use relative paths.`, "absolute-path");
  const stripped = name.replace(/^[ab]\//, "");
  if (stripped.split(/[\\/]/).includes("..")) refuse(`The path ${name} contains "..".`, "dotdot-path");
  return stripped;
}

/**
 * Checks that bytes are a unified diff Patchgate may store: not empty, parseable,
 * at least one file with hunks, no binary patches, only relative paths without
 * "..", at most MAX_FILES_PER_DIFF files. Returns what it touches.
 */
export function checkUnifiedDiff(bytes: Uint8Array): TDiffSummary {
  if (bytes.length === 0) refuse("The diff is empty.", "empty");
  // latin1 maps every byte to one character: parsing never fails on encoding.
  const text = Buffer.from(bytes).toString("latin1");
  if (!text.trim()) refuse("The diff is empty.", "empty");
  if (/^GIT binary patch$/m.test(text) || /^Binary files .* differ$/m.test(text)) {
    refuse("Binary patches are not accepted; send a text diff.", "binary");
  }
  if (bytes.includes(0)) refuse("The file contains NUL bytes; binary content is not accepted.", "binary");
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(text);
  } catch (e) {
    refuse(`This is not a well-formed unified diff: ${(e as Error).message}.`, "malformed");
  }
  const files = parsed.filter((p) => p.hunks.length > 0 || p.oldFileName || p.newFileName);
  if (files.length === 0 || files.every((f) => f.hunks.length === 0)) {
    refuse("This is not a unified diff (no ---/+++ file headers with @@ hunks). Create one with diff -u or git diff.", "not-a-diff");
  }
  if (files.length > MAX_FILES_PER_DIFF) refuse(`The diff touches ${files.length} files; the limit is ${MAX_FILES_PER_DIFF}.`, "too-many-files");
  return {
    files: files.map((f) => {
      const oldPath = cleanPath(f.oldFileName);
      const newPath = cleanPath(f.newFileName);
      if (f.hunks.length === 0) refuse(`The file ${newPath ?? oldPath} has no hunks.`, "no-hunks");
      const lines = f.hunks.flatMap((h) => h.lines);
      return {
        path: (newPath ?? oldPath)!,
        added: lines.filter((l) => l.startsWith("+")).length,
        removed: lines.filter((l) => l.startsWith("-")).length,
      };
    }),
  };
}
