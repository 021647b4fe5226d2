// Statements signed for update packages (U4): an admin's "apply" of a VERIFIED
// package on a semi-automatic installation, and each step of the manual
// checklist. Same format as every Patchgate statement (docs/statements.md).
import { normaliseComment, STATEMENT_HEADER, type TParsedStatement } from "./statements";
import { evidenceText } from "./step-statement";

export const PACKAGE_STATEMENT_KINDS = ["package-apply", "package-step"] as const;
export type TPackageStatementKind = (typeof PACKAGE_STATEMENT_KINDS)[number];

export type TPackageStatementFields = {
  kind: TPackageStatementKind;
  /** apply (package-apply) or done (package-step). */
  verdict: "apply" | "done";
  installation: string;
  packageId: string;
  /** SHA-256 of the file as received, and of the signed content the host runs. */
  packageSha256: string;
  contentSha256: string;
  signerSubject: string;
  mode: "automatic" | "semi-automatic" | "manual";
  /** package-step: the checklist step, its key, and the SHA-256 of its evidence (the comment). */
  step?: number;
  stepKey?: string;
  evidenceSha256?: string;
  signerId: string;
  signerEmail: string;
  keyFingerprint: string;
  nonce: string;
  issuedAt: Date;
  comment: string;
};

// Field order is part of the format.
const FIELDS: [Exclude<keyof TPackageStatementFields, "comment">, string][] = [
  ["kind", "kind"],
  ["verdict", "verdict"],
  ["installation", "installation"],
  ["packageId", "package"],
  ["packageSha256", "package-sha256"],
  ["contentSha256", "content-sha256"],
  ["signerSubject", "package-signer"],
  ["mode", "mode"],
  ["step", "step"],
  ["stepKey", "step-key"],
  ["evidenceSha256", "evidence-sha256"],
  ["signerId", "signer-account"],
  ["signerEmail", "signer-email"],
  ["keyFingerprint", "key-fingerprint"],
  ["nonce", "nonce"],
  ["issuedAt", "issued-at"],
];

export function buildPackageStatement(f: TPackageStatementFields): string {
  const lines = [STATEMENT_HEADER];
  for (const [key, name] of FIELDS) {
    const raw = f[key];
    if (raw === undefined || raw === "") continue;
    const v = raw instanceof Date ? raw.toISOString() : String(raw);
    if (/[\r\n]/.test(v)) throw new Error(`statement field ${name} must be a single line`);
    lines.push(`${name}: ${v}`);
  }
  // A step's comment is its evidence as one line of canonical JSON, kept byte for byte.
  const comment =
    f.kind === "package-step"
      ? f.comment.replace(/[\r\n]/g, () => {
          throw new Error("package-step evidence must be one line");
        })
      : normaliseComment(f.comment);
  return lines.join("\n") + "\n\n" + (comment ? comment + "\n" : "");
}

export const modeName = (mode: "AUTOMATIC" | "SEMI_AUTOMATIC" | "MANUAL") =>
  mode === "SEMI_AUTOMATIC" ? "semi-automatic" : (mode.toLowerCase() as "automatic" | "manual");

export type TReadPackageStatement = {
  kind: TPackageStatementKind;
  packageId: string;
  packageSha256: string;
  contentSha256: string;
  /** package-step only. */
  step?: { number: number; key: string; evidence: Record<string, unknown>; evidenceSha256: string };
};

/**
 * The package, hashes and (for a step) the step and its evidence of a parsed
 * package statement, or null when it is not a well-formed one. A step's
 * comment must be its evidence as canonical JSON, the text its hash names.
 */
export function readPackageStatement(
  p: TParsedStatement,
  sha256Hex: (text: string) => string,
): TReadPackageStatement | null {
  if (!(PACKAGE_STATEMENT_KINDS as readonly string[]).includes(p.kind)) return null;
  const kind = p.kind as TPackageStatementKind;
  if (!p.package || !p["package-sha256"] || !p["content-sha256"]) return null;
  const base = {
    kind,
    packageId: p.package,
    packageSha256: p["package-sha256"],
    contentSha256: p["content-sha256"],
  };
  if (kind === "package-apply") return p.verdict === "apply" && !p.step ? base : null;
  if (p.verdict !== "done" || !/^[1-9][0-9]?$/.test(p.step ?? "") || !p["step-key"]) return null;
  let evidence: unknown;
  try {
    evidence = JSON.parse(p.comment);
  } catch {
    return null;
  }
  if (!evidence || typeof evidence !== "object" || Array.isArray(evidence)) return null;
  if (evidenceText(evidence as Record<string, unknown>) !== p.comment) return null;
  if (sha256Hex(p.comment) !== p["evidence-sha256"]) return null;
  return {
    ...base,
    step: {
      number: Number(p.step),
      key: p["step-key"],
      evidence: evidence as Record<string, unknown>,
      evidenceSha256: p["evidence-sha256"],
    },
  };
}
