// Statements signed for hotfixes (H3, H4): the release by someone other than
// the uploader, and the verification of an application (or an unapply) on one
// server. Same format as every Patchgate statement (docs/statements.md).
import { normaliseComment, STATEMENT_HEADER } from "./statements";

export const HOTFIX_STATEMENT_KINDS = ["hotfix-release", "hotfix-verify"] as const;
export type THotfixStatementKind = (typeof HOTFIX_STATEMENT_KINDS)[number];

export type THotfixStatementFields = {
  kind: THotfixStatementKind;
  hotfix: string;
  hotfixSha256: string;
  product: string;
  version: string;
  /** hotfix-verify: the server, its role, and whether it verifies an apply or an unapply. */
  server?: string;
  serverRole?: string;
  action?: "apply" | "unapply";
  /** A front end verified by connecting to it directly, not through the load balancer. */
  direct?: boolean;
  /** A back end verified with Maximum Processes 0 on every unpatched back end. */
  maxProcessesZero?: boolean;
  signerId: string;
  signerEmail: string;
  keyFingerprint: string;
  nonce: string;
  issuedAt: Date;
  comment: string;
};

// Field order is part of the format.
const FIELDS: [keyof THotfixStatementFields, string][] = [
  ["kind", "kind"],
  ["hotfix", "hotfix"],
  ["hotfixSha256", "hotfix-sha256"],
  ["product", "product"],
  ["version", "version"],
  ["server", "server"],
  ["serverRole", "server-role"],
  ["action", "action"],
  ["direct", "direct"],
  ["maxProcessesZero", "max-processes-zero"],
  ["signerId", "signer-account"],
  ["signerEmail", "signer-email"],
  ["keyFingerprint", "key-fingerprint"],
  ["nonce", "nonce"],
  ["issuedAt", "issued-at"],
];

function value(raw: unknown): string {
  if (raw instanceof Date) return raw.toISOString();
  if (typeof raw === "boolean") return raw ? "yes" : "no";
  return String(raw);
}

export function buildHotfixStatement(f: THotfixStatementFields): string {
  const lines = [STATEMENT_HEADER];
  for (const [key, name] of FIELDS) {
    const raw = f[key];
    if (raw === undefined || raw === "") continue;
    const v = value(raw);
    if (/[\r\n]/.test(v)) throw new Error(`statement field ${name} must be a single line`);
    lines.push(`${name}: ${v}`);
  }
  const comment = normaliseComment(f.comment);
  return lines.join("\n") + "\n\n" + (comment ? comment + "\n" : "");
}
