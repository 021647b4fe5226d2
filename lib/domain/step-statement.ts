import canonicalize from "canonicalize";
import type { TParsedStatement } from "./statements";

// A `step` statement (X1): a deployment step ticked by hand, or a signing-server
// decision on steps 3–7. Its fields name the deployment, the step and the
// SHA-256 of its evidence; its comment is the evidence itself as one line of
// RFC 8785 canonical JSON, so the signer reads what they sign and a verifier
// compares it with the dossier's deployment.json key by key.

export type TStepVerdict = "done" | "failed" | "applies" | "not-applicable";

/** The evidence as the statement carries it: canonical JSON on one line. */
export function evidenceText(evidence: Record<string, unknown>): string {
  const text = canonicalize(evidence);
  if (text === undefined) throw new Error("evidence cannot be canonicalised");
  return text;
}

/** A tick is `failed` only for a failed apply (P5); everything else recorded is `done`. */
export function tickVerdict(number: number, evidence: Record<string, unknown>): TStepVerdict {
  return number === 5 && evidence.result === "failed" ? "failed" : "done";
}

export const isDecision = (verdict: string) =>
  verdict === "applies" || verdict === "not-applicable";

export type TReadStep = {
  deploymentId: string;
  number: number;
  verdict: TStepVerdict;
  evidence: Record<string, unknown>;
  evidenceText: string;
  evidenceSha256: string;
};

/** The step, verdict and evidence of a parsed `step` statement, or null when it is not a well-formed one. */
export function readStepStatement(p: TParsedStatement): TReadStep | null {
  if (p.kind !== "step" || !p.deployment || !/^(1[0-3]|[1-9])$/.test(p.step ?? "")) return null;
  if (!["done", "failed", "applies", "not-applicable"].includes(p.verdict)) return null;
  if (!/^[0-9a-f]{64}$/.test(p["evidence-sha256"] ?? "")) return null;
  let evidence: unknown;
  try {
    evidence = JSON.parse(p.comment);
  } catch {
    return null;
  }
  if (!evidence || typeof evidence !== "object" || Array.isArray(evidence)) return null;
  // Canonical, so the text is the one a verifier recomputes from deployment.json.
  if (evidenceText(evidence as Record<string, unknown>) !== p.comment) return null;
  return {
    deploymentId: p.deployment,
    number: Number(p.step),
    verdict: p.verdict as TStepVerdict,
    evidence: evidence as Record<string, unknown>,
    evidenceText: p.comment,
    evidenceSha256: p["evidence-sha256"],
  };
}

/** Whether every signed field is what was recorded (the record may add facts the server read). */
export function evidenceMatches(signed: Record<string, unknown>, recorded: unknown): boolean {
  if (!recorded || typeof recorded !== "object") return Object.keys(signed).length === 0;
  const r = recorded as Record<string, unknown>;
  return Object.entries(signed).every(([k, v]) => k in r && canonicalize(v) === canonicalize(r[k]));
}
