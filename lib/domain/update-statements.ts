// Statements signed for release updates (S1–S3): the submitter's update-submit
// over the filled text, the release-update team's update-review and
// update-major-ack, and a tester's update-verify of one series. Same format as
// every Patchgate statement (docs/statements.md).
import { normaliseComment, STATEMENT_HEADER, type TParsedStatement } from "./statements";

export const UPDATE_STATEMENT_KINDS = [
  "update-submit",
  "update-review",
  "update-major-ack",
  "update-verify",
] as const;
export type TUpdateStatementKind = (typeof UPDATE_STATEMENT_KINDS)[number];

export const UPDATE_VERDICTS: Record<TUpdateStatementKind, readonly string[]> = {
  "update-submit": ["submit"],
  "update-review": ["approve", "reject"],
  "update-major-ack": ["acknowledge"],
  "update-verify": ["pass", "fail"],
};

export type TUpdateStatementFields = {
  kind: TUpdateStatementKind;
  verdict: string;
  updateId: string;
  updateNumber: number;
  revision: number;
  title: string;
  system: string;
  packages: string[];
  version: string;
  /** update-submit: every target series; update-verify: the one verified. */
  series: string[];
  bugId: string;
  /** SHA-256 of the revision's text (the body as submitted). */
  bodySha256: string;
  /** update-major-ack: the change's number, its text and the SHA-256 of the text. */
  change?: number;
  changeText?: string;
  changeSha256?: string;
  /** update-verify: "package=version" for every package of the family, and the evidence's SHA-256. */
  versions?: Record<string, string>;
  evidenceSha256?: string;
  signerId: string;
  signerEmail: string;
  keyFingerprint: string;
  nonce: string;
  issuedAt: Date;
  /** update-submit: the body itself; otherwise the signer's words (update-verify: the tracker comment). */
  comment: string;
};

const list = (xs: string[]) => xs.join(", ");
const versionsText = (v: Record<string, string>) =>
  Object.entries(v)
    .map(([p, ver]) => `${p}=${ver}`)
    .join(", ");

// Field order is part of the format.
const FIELDS: [string, (f: TUpdateStatementFields) => string | number | Date | undefined][] = [
  ["kind", (f) => f.kind],
  ["verdict", (f) => f.verdict],
  ["update", (f) => f.updateId],
  ["update-number", (f) => f.updateNumber],
  ["revision", (f) => f.revision],
  ["title", (f) => f.title],
  ["system", (f) => f.system],
  ["packages", (f) => list(f.packages)],
  ["version", (f) => f.version],
  ["series", (f) => list(f.series)],
  ["bug", (f) => f.bugId],
  ["body-sha256", (f) => f.bodySha256],
  ["change", (f) => f.change],
  ["change-text", (f) => f.changeText],
  ["change-sha256", (f) => f.changeSha256],
  ["versions", (f) => (f.versions ? versionsText(f.versions) : undefined)],
  ["evidence-sha256", (f) => f.evidenceSha256],
  ["signer-account", (f) => f.signerId],
  ["signer-email", (f) => f.signerEmail],
  ["key-fingerprint", (f) => f.keyFingerprint],
  ["nonce", (f) => f.nonce],
  ["issued-at", (f) => f.issuedAt],
];

export function buildUpdateStatement(f: TUpdateStatementFields): string {
  if (!UPDATE_VERDICTS[f.kind].includes(f.verdict))
    throw new Error(`${f.kind} has no verdict ${f.verdict}`);
  const lines = [STATEMENT_HEADER];
  for (const [name, get] of FIELDS) {
    const raw = get(f);
    if (raw === undefined || raw === "") continue;
    const v = raw instanceof Date ? raw.toISOString() : String(raw);
    if (/[\r\n]/.test(v)) throw new Error(`statement field ${name} must be a single line`);
    lines.push(`${name}: ${v}`);
  }
  // update-submit signs the body byte for byte (normalised when stored; no length cut).
  const comment = f.kind === "update-submit" ? f.comment : normaliseComment(f.comment);
  return lines.join("\n") + "\n\n" + (comment ? comment + "\n" : "");
}

export type TReadUpdateStatement = {
  kind: TUpdateStatementKind;
  verdict: string;
  updateId: string;
  revision: number;
  bodySha256: string;
  series: string[];
  change?: { number: number; sha256: string; text: string };
  versions?: Record<string, string>;
  evidenceSha256?: string;
  comment: string;
};

/** The facts of a parsed update statement, or null when it is not a well-formed one (for verifiers). */
export function readUpdateStatement(p: TParsedStatement): TReadUpdateStatement | null {
  if (!(UPDATE_STATEMENT_KINDS as readonly string[]).includes(p.kind)) return null;
  const kind = p.kind as TUpdateStatementKind;
  if (!UPDATE_VERDICTS[kind].includes(p.verdict)) return null;
  if (
    !p.update ||
    !/^[1-9]\d*$/.test(p.revision ?? "") ||
    !/^[0-9a-f]{64}$/.test(p["body-sha256"] ?? "")
  )
    return null;
  const out: TReadUpdateStatement = {
    kind,
    verdict: p.verdict,
    updateId: p.update,
    revision: Number(p.revision),
    bodySha256: p["body-sha256"],
    series: (p.series ?? "").split(", ").filter(Boolean),
    comment: p.comment,
  };
  if (kind === "update-major-ack") {
    if (!/^[1-9]\d*$/.test(p.change ?? "") || !p["change-sha256"] || !p["change-text"]) return null;
    out.change = { number: Number(p.change), sha256: p["change-sha256"], text: p["change-text"] };
  }
  if (kind === "update-verify") {
    if (out.series.length !== 1 || !p["evidence-sha256"] || !p.versions) return null;
    out.evidenceSha256 = p["evidence-sha256"];
    out.versions = Object.fromEntries(
      p.versions.split(", ").map((pv) => {
        const i = pv.indexOf("=");
        return [pv.slice(0, i), pv.slice(i + 1)];
      }),
    );
  }
  return out;
}
