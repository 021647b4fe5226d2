// Line comments: a reviewer's notes on lines of the diff, signed as part of the
// review statement. In the statement each is one field after `issued-at`,
// numbered from 1: `line-comment-1: {"file":"www/x.php","line":12,"text":"..."}`.
// Numbered names keep every field unique, so a v1 parser that knows nothing of
// line comments still reads the statement (docs/statements.md).

import { commentableLines, type TSplitDiff } from "./diff-files";

export const MAX_LINE_COMMENTS = 50;
export const MAX_LINE_COMMENT_CHARS = 1000;
/** The encoded fields together: keeps a statement under the 20,000 characters a sign-off takes. */
export const MAX_LINE_COMMENT_FIELDS_CHARS = 12_000;

export type TLineComment = { file: string; line: number; text: string };

const FIELD = /^line-comment-(\d+)$/;

/** CRLF becomes LF, trailing spaces and surrounding blank lines go: as the statement comment. */
export function normaliseLineCommentText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .trim();
}

/** One field value: JSON with the keys in this order, on one line (JSON escapes newlines). */
export function encodeLineComment(c: TLineComment): string {
  return JSON.stringify({ file: c.file, line: c.line, text: c.text });
}

/** The statement fields for the comments, in order. */
export function lineCommentFields(comments: readonly TLineComment[]): [string, string][] {
  return comments.map((c, i) => [`line-comment-${i + 1}`, encodeLineComment(c)]);
}

/**
 * Reads the line comments back from parsed statement fields. Null when they do
 * not parse: numbering not 1..n, a value that is not the canonical encoding of
 * {file, line, text}. A statement without them has [].
 */
export function parseLineComments(fields: Record<string, string>): TLineComment[] | null {
  const numbers = Object.keys(fields)
    .map((k) => FIELD.exec(k)?.[1])
    .filter((n): n is string => n !== undefined);
  const out: TLineComment[] = [];
  for (let i = 1; i <= numbers.length; i++) {
    const value = fields[`line-comment-${i}`];
    if (value === undefined) return null;
    let v: unknown;
    try {
      v = JSON.parse(value);
    } catch {
      return null;
    }
    if (typeof v !== "object" || v === null) return null;
    const { file, line, text } = v as Record<string, unknown>;
    if (typeof file !== "string" || typeof text !== "string") return null;
    if (typeof line !== "number" || !Number.isInteger(line) || line < 1) return null;
    const c = { file, line, text };
    if (encodeLineComment(c) !== value) return null;
    out.push(c);
  }
  return out;
}

export type TLineCommentProblem = { index: number; message: string };

/**
 * Checks drafted comments against the revision's diff: each names a file of the
 * diff and a line of its hunks (new side; old side in a deleted file), has text,
 * and the count and lengths stay under the caps. Returns the normalised
 * comments sorted by file and line, or the problems.
 */
export function checkLineComments(
  drafts: readonly TLineComment[],
  diff: TSplitDiff,
): { ok: true; comments: TLineComment[] } | { ok: false; problems: TLineCommentProblem[] } {
  const problems: TLineCommentProblem[] = [];
  if (drafts.length > MAX_LINE_COMMENTS)
    problems.push({
      index: -1,
      message: `At most ${MAX_LINE_COMMENTS} line comments per review; there are ${drafts.length}.`,
    });
  const lines = commentableLines(diff);
  const comments = drafts.map((d, index) => {
    const text = normaliseLineCommentText(d.text);
    const where = `Line comment ${index + 1} (${d.file}:${d.line})`;
    const fileLines = lines.get(d.file);
    if (!fileLines) problems.push({ index, message: `${where}: ${d.file} is not in this diff.` });
    else if (!fileLines.has(d.line))
      problems.push({
        index,
        message: `${where}: line ${d.line} of ${d.file} is not in the diff's hunks.`,
      });
    if (!text) problems.push({ index, message: `${where} is empty.` });
    if (text.length > MAX_LINE_COMMENT_CHARS)
      problems.push({
        index,
        message: `${where} has ${text.length} characters; at most ${MAX_LINE_COMMENT_CHARS}.`,
      });
    return { file: d.file, line: d.line, text };
  });
  const size = lineCommentFields(comments).reduce((n, [k, v]) => n + k.length + v.length + 3, 0);
  if (size > MAX_LINE_COMMENT_FIELDS_CHARS)
    problems.push({
      index: -1,
      message: `The line comments together are too long (${size} characters encoded; at most ${MAX_LINE_COMMENT_FIELDS_CHARS}).`,
    });
  if (problems.length) return { ok: false, problems };
  const order = (c: TLineComment) => c.file;
  comments.sort((a, b) => (order(a) === order(b) ? a.line - b.line : order(a) < order(b) ? -1 : 1));
  return { ok: true, comments };
}
