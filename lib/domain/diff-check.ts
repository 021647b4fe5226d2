import { parsePatch } from "diff";
import { AppError } from "../errors";

// Uploaded diffs are data: parsed, never executed (CVE-2019-13638, CVE-2018-1000156).

export const MAX_FILES_PER_DIFF = 500;

export type TDiffSummary = { files: { path: string; added: number; removed: number }[] };

function refuse(message: string, reason: string): never {
  throw new AppError("VALIDATION", message, { reason });
}

/** Git's C-style quoting ("a/\\056\\056/x" is a/../x to git apply and patch): decoded only to be checked. */
function unquote(name: string): string {
  const inner =
    name.length > 1 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
  return inner.replace(/\\([0-7]{1,3}|.)/g, (_, e: string) =>
    /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e,
  );
}

/** Refuses absolute paths and ".." once the a/ or b/ prefix is off; returns the path without the prefix. */
function checkPath(name: string): string {
  const stripped = name.replace(/^[ab]\//, "");
  // Both spellings: the name as written (backslash as a separator) and as git decodes it.
  for (const p of [stripped, unquote(name).replace(/^[ab]\//, "")]) {
    if (p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p))
      refuse(`The path ${name} is absolute; patches must use relative paths.`, "absolute-path");
    if (p.split(/[\\/]/).includes("..")) refuse(`The path ${name} contains "..".`, "dotdot-path");
  }
  return stripped;
}

/** "a/www/index.php" -> "www/index.php"; null for /dev/null (a created or deleted file). */
function cleanPath(raw: string | undefined): string | null {
  const name = (raw ?? "").split("\t")[0].trim();
  if (name === "/dev/null") return null;
  if (!name) refuse("A file header (--- / +++) names no file.", "no-path");
  return checkPath(name);
}

/**
 * git apply also takes file names from the extended headers (diff --git,
 * rename/copy from/to), which the parser skips: they get the same checks. A
 * hunk line starts with " ", "+", "-" or "\\", so these never match content.
 */
function checkGitHeaders(text: string) {
  let file = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const git = /^diff --git (.*)$/.exec(line);
    if (git) file = git[1];
    // Names with spaces make the split ambiguous: every word is checked, which errs on refusing.
    if (git) for (const word of git[1].match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? []) checkPath(word);
    // git apply makes a link of a mode-120000 file; one pointing outside the tree
    // lets a later patch write there. A symlink's target is never reviewed as code.
    if (/^(?:new file mode|new mode) 120000$/.test(line) || /^index \S+ 120000$/.test(line))
      refuse(
        `The diff makes a symbolic link (mode 120000) in ${file || "a file"}; symbolic links are not accepted.`,
        "symlink",
      );
    const moved = /^(?:rename|copy) (?:from|to|old|new) (.*)$/.exec(line);
    if (moved) checkPath(moved[1].trim());
  }
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
  if (bytes.includes(0))
    refuse("The file contains NUL bytes; binary content is not accepted.", "binary");
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(text);
  } catch (e) {
    refuse(`This is not a well-formed unified diff: ${(e as Error).message}.`, "malformed");
  }
  const files = parsed.filter((p) => p.hunks.length > 0 || p.oldFileName || p.newFileName);
  if (files.length === 0 || files.every((f) => f.hunks.length === 0)) {
    refuse(
      "This is not a unified diff (no ---/+++ file headers with @@ hunks). Create one with diff -u or git diff.",
      "not-a-diff",
    );
  }
  checkGitHeaders(text);
  if (files.length > MAX_FILES_PER_DIFF)
    refuse(
      `The diff touches ${files.length} files; the limit is ${MAX_FILES_PER_DIFF}.`,
      "too-many-files",
    );
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
