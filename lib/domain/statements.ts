// The text a person signs. The server writes it; the signer signs exactly these
// bytes with a detached signature; the server compares byte for byte with what
// it issued. Format (docs/statements.md): UTF-8, LF line ends, first line names
// the format and version, then one `field: value` per line in a fixed order,
// then an empty line and the free-text comment (part of the signed text).

import { lineCommentFields, type TLineComment } from "./line-comments";

export const STATEMENT_HEADER = "patchgate-statement v1";

export const STATEMENT_KINDS = [
  "submit",
  "review",
  "test",
  "request",
  "presence",
  "withdraw",
  "step",
] as const;
export type TStatementKind = (typeof STATEMENT_KINDS)[number];

export const VERDICTS_BY_KIND: Record<TStatementKind, readonly string[]> = {
  submit: ["submit"],
  review: ["approve", "reject"],
  test: ["pass", "fail"],
  request: ["request"],
  presence: ["present"],
  // The reason is the comment, and a withdraw without one is refused.
  withdraw: ["withdraw"],
  // A deployment step ticked (done, or failed at the apply), or a signing-server decision.
  step: ["done", "failed", "applies", "not-applicable"],
};

export type TStatementFields = {
  kind: TStatementKind;
  verdict: string;
  /** The role a presence is signed in (signing-server visit). */
  role?: string;
  patchId: string;
  patchNumber: number;
  revision: number;
  system: string;
  diffSha256: string;
  bugId: string;
  deploymentId?: string;
  /** The deployment step a `step` statement ticks or decides. */
  step?: number;
  /** SHA-256 of the step's evidence as canonical JSON (the comment of a `step` statement). */
  evidenceSha256?: string;
  signerId: string;
  signerEmail: string;
  keyFingerprint: string;
  nonce: string;
  issuedAt: Date;
  /** A review's line comments: numbered fields after issued-at (lib/domain/line-comments.ts). */
  lineComments?: readonly TLineComment[];
  comment: string;
};

// Field order is part of the format.
const FIELDS: [Exclude<keyof TStatementFields, "lineComments">, string][] = [
  ["kind", "kind"],
  ["verdict", "verdict"],
  ["role", "role"],
  ["patchId", "patch"],
  ["patchNumber", "patch-number"],
  ["revision", "revision"],
  ["system", "system"],
  ["diffSha256", "diff-sha256"],
  ["bugId", "bug"],
  ["deploymentId", "deployment"],
  ["step", "step"],
  ["evidenceSha256", "evidence-sha256"],
  ["signerId", "signer-account"],
  ["signerEmail", "signer-email"],
  ["keyFingerprint", "key-fingerprint"],
  ["nonce", "nonce"],
  ["issuedAt", "issued-at"],
];

function oneLine(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`statement field ${name} must be a single line`);
  return value;
}

/** Normalises a comment: LF line ends, no trailing whitespace, at most 4000 characters. */
export function normaliseComment(comment: string): string {
  return comment
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .trim()
    .slice(0, 4000);
}

export function buildStatement(f: TStatementFields): string {
  const lines = [STATEMENT_HEADER];
  for (const [key, name] of FIELDS) {
    const raw = f[key];
    if (raw === undefined) continue;
    const value = raw instanceof Date ? raw.toISOString() : String(raw);
    lines.push(`${name}: ${oneLine(name, value)}`);
  }
  for (const [name, value] of lineCommentFields(f.lineComments ?? []))
    lines.push(`${name}: ${oneLine(name, value)}`);
  // A step's comment is its evidence as one line of canonical JSON, kept byte
  // for byte (no 4000-character cut: the patch output alone may be longer).
  const comment = f.kind === "step" ? oneLine("evidence", f.comment) : normaliseComment(f.comment);
  return lines.join("\n") + "\n\n" + (comment ? comment + "\n" : "");
}

export type TParsedStatement = Record<string, string> & { comment: string };

/** Reads the fields back (for verifiers); null when the text is not a v1 statement. */
export function parseStatement(text: string): TParsedStatement | null {
  if (text.includes("\r")) return null;
  const [head, ...rest] = text.split("\n\n");
  const lines = head.split("\n");
  if (lines[0] !== STATEMENT_HEADER) return null;
  const out: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const m = line.match(/^([a-z0-9-]+): (.*)$/);
    if (!m || m[1] in out) return null;
    out[m[1]] = m[2];
  }
  return { ...out, comment: rest.join("\n\n").replace(/\n$/, "") };
}
