// A unified diff split into files and numbered lines, for showing it and for
// addressing line comments. The browser and the server run this same code on
// the same bytes (decoded as UTF-8), so a comment's file and line mean the same
// on both sides. Display only: what may be stored is decided by checkUnifiedDiff.

export type TDiffLineKind = "meta" | "hunk" | "add" | "del" | "ctx" | "note";

export type TDiffLine = {
  kind: TDiffLineKind;
  text: string;
  /** 1-based line number in the whole diff. */
  index: number;
  /** Line number in the old file (del, ctx). */
  old?: number;
  /** Line number in the new file (add, ctx). */
  new?: number;
};

export type TDiffFile = {
  /** The new path, or the old one for a deleted file; a/ and b/ prefixes removed. */
  path: string;
  deleted: boolean;
  added: number;
  removed: number;
  lines: TDiffLine[];
};

export type TSplitDiff = { preamble: TDiffLine[]; files: TDiffFile[]; lineCount: number };

/** Decodes diff bytes the one way both sides do: UTF-8, bad sequences replaced. */
export function decodeDiff(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

function headerPath(line: string): string | null {
  const name = line.slice(4).split("\t")[0].trim();
  if (name === "/dev/null") return null;
  return name.replace(/^[ab]\//, "");
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Splits a unified diff into per-file sections. A file starts at "diff --git"
 * or at a "--- " line followed by "+++ " outside a hunk; hunks are read by their
 * counts, so a removed line that reads "-- x" never starts a file.
 */
export function splitDiff(text: string): TSplitDiff {
  const all = text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  const preamble: TDiffLine[] = [];
  const files: TDiffFile[] = [];
  let file: TDiffFile | null = null;
  let oldLeft = 0;
  let newLeft = 0;
  let oldNo = 0;
  let newNo = 0;
  let fileStarted = false;
  const push = (line: TDiffLine) => (file ? file.lines.push(line) : preamble.push(line));

  for (let i = 0; i < all.length; i++) {
    const text = all[i];
    const index = i + 1;
    const inHunk = oldLeft > 0 || newLeft > 0;
    if (inHunk) {
      if (text.startsWith("+") && newLeft > 0) {
        file!.added++;
        newLeft--;
        push({ kind: "add", text, index, new: newNo++ });
        continue;
      }
      if (text.startsWith("-") && oldLeft > 0) {
        file!.removed++;
        oldLeft--;
        push({ kind: "del", text, index, old: oldNo++ });
        continue;
      }
      if ((text.startsWith(" ") || text === "") && oldLeft > 0 && newLeft > 0) {
        oldLeft--;
        newLeft--;
        push({ kind: "ctx", text, index, old: oldNo++, new: newNo++ });
        continue;
      }
      if (text.startsWith("\\")) {
        push({ kind: "note", text, index });
        continue;
      }
      // A hunk shorter than its header says: what follows is read afresh.
      oldLeft = newLeft = 0;
    }
    if (text.startsWith("\\")) {
      push({ kind: "note", text, index });
      continue;
    }
    // "diff ..." (git or diff -u) starts a file; so does "--- " + "+++ " unless
    // the open file has not had its headers or hunks yet (git's diff line came first).
    const startsFile =
      text.startsWith("diff ") ||
      (text.startsWith("--- ") && all[i + 1]?.startsWith("+++ ") && (!file || fileStarted));
    if (startsFile) {
      file = { path: "", deleted: false, added: 0, removed: 0, lines: [] };
      files.push(file);
      fileStarted = false;
    }
    const hunk = HUNK.exec(text);
    if (hunk && file) {
      oldNo = Number(hunk[1]);
      oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      newNo = Number(hunk[3]);
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      fileStarted = true;
      push({ kind: "hunk", text, index });
      continue;
    }
    if (file && text.startsWith("--- ")) {
      fileStarted = true;
      const p = headerPath(text);
      if (p && !file.path) file.path = p;
    } else if (file && text.startsWith("+++ ")) {
      const p = headerPath(text);
      if (p) file.path = p;
      else file.deleted = true;
    } else if (file && !file.path && text.startsWith("diff --git ")) {
      // Until the ---/+++ headers say otherwise (a rename or mode change has none).
      const b = / b\/(.*)$/.exec(text);
      if (b) file.path = b[1];
    }
    push({ kind: "meta", text, index });
  }
  return { preamble, files, lineCount: all.length };
}

/** The number a comment uses for a diff line: the new file's, or the old one's in a deleted file. */
export function commentLineOf(file: TDiffFile, line: TDiffLine): number | null {
  if (file.deleted) return line.kind === "del" ? line.old! : null;
  return line.kind === "add" || line.kind === "ctx" ? line.new! : null;
}

/** Every file's commentable line numbers, by path. */
export function commentableLines(diff: TSplitDiff): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const f of diff.files) {
    const set = out.get(f.path) ?? new Set<number>();
    for (const l of f.lines) {
      const n = commentLineOf(f, l);
      if (n != null) set.add(n);
    }
    out.set(f.path, set);
  }
  return out;
}

/** Lower-case hex of a SHA-256 digest. */
export function hexOf(digest: ArrayBuffer | Uint8Array): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * What you see is what you sign: the refusal to sign a statement whose
 * diff-sha256 is not the hash of the bytes this page shows, or null.
 */
export function shownDiffRefusal(
  statementDiffSha256: string | undefined,
  shown: { sha256: string; revision: number } | null,
): string | null {
  if (!statementDiffSha256) return null;
  if (!shown)
    return "The diff has not been loaded and checked in this page yet; wait until it is shown, then sign.";
  if (shown.sha256 !== statementDiffSha256)
    return (
      `Not signed: the diff shown in this page (SHA-256 ${shown.sha256}) is not the one the statement ` +
      `names (${statementDiffSha256}). Reload the page and read the diff again before signing.`
    );
  return null;
}
