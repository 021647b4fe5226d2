// Statements signed during an emergency and in arbitration. Same format as the
// patch statements (lib/domain/statements.ts): the header line, one
// `field: value` per line in a fixed order, an empty line, then the comment,
// which carries the reason and is part of the signed text.
import { normaliseComment, STATEMENT_HEADER } from "./statements";
import { MOVE_KINDS } from "./emergency-ladder";

export const EMERGENCY_STATEMENT_KINDS = ["acknowledge", ...MOVE_KINDS, "ruling"] as const;
export type TEmergencyStatementKind = (typeof EMERGENCY_STATEMENT_KINDS)[number];

/** Nonce kinds are namespaced so a patch sign-off and an emergency statement can never be confused. */
export const nonceKind = (k: TEmergencyStatementKind) => `emergency.${k}`;
export const fromNonceKind = (k: string): TEmergencyStatementKind | undefined => {
  const bare = k.startsWith("emergency.") ? k.slice("emergency.".length) : "";
  return (EMERGENCY_STATEMENT_KINDS as readonly string[]).includes(bare)
    ? (bare as TEmergencyStatementKind)
    : undefined;
};

export const RULING_VERDICTS = ["justified", "not-justified", "justified-with-remarks"] as const;
export type TRulingVerdict = (typeof RULING_VERDICTS)[number];

export type TEmergencyStatementFields = {
  kind: TEmergencyStatementKind;
  verdict?: string;
  /** The capacity signed in (option-3 declaration) or the team (acknowledge). */
  role?: string;
  team?: string;
  gate?: string;
  emergencyId: string;
  emergencyNumber: number;
  system: string;
  severity?: string;
  /** Option 1's patch: its number and the SHA-256 of the diff the statement is for. */
  patchNumber?: number;
  patchSha256?: string;
  /** The 1st review records the transfer to the development repository and the test server. */
  develCommit?: string;
  testServer?: string;
  grantee?: string;
  disputeId?: string;
  disputeNumber?: number;
  logSha256?: string;
  signerId: string;
  signerEmail: string;
  keyFingerprint: string;
  nonce: string;
  issuedAt: Date;
  comment: string;
};

// Field order is part of the format.
const FIELDS: [keyof TEmergencyStatementFields, string][] = [
  ["kind", "kind"],
  ["verdict", "verdict"],
  ["role", "role"],
  ["team", "team"],
  ["gate", "gate"],
  ["emergencyId", "emergency"],
  ["emergencyNumber", "emergency-number"],
  ["system", "system"],
  ["severity", "severity"],
  ["patchNumber", "patch-number"],
  ["patchSha256", "patch-sha256"],
  ["develCommit", "devel-commit"],
  ["testServer", "test-server"],
  ["grantee", "grantee-account"],
  ["disputeId", "dispute"],
  ["disputeNumber", "dispute-number"],
  ["logSha256", "session-log-sha256"],
  ["signerId", "signer-account"],
  ["signerEmail", "signer-email"],
  ["keyFingerprint", "key-fingerprint"],
  ["nonce", "nonce"],
  ["issuedAt", "issued-at"],
];

export function buildEmergencyStatement(f: TEmergencyStatementFields): string {
  const lines = [STATEMENT_HEADER];
  for (const [key, name] of FIELDS) {
    const raw = f[key];
    if (raw === undefined || raw === "") continue;
    const value = raw instanceof Date ? raw.toISOString() : String(raw);
    if (/[\r\n]/.test(value)) throw new Error(`statement field ${name} must be a single line`);
    lines.push(`${name}: ${value}`);
  }
  const comment = normaliseComment(f.comment);
  return lines.join("\n") + "\n\n" + (comment ? comment + "\n" : "");
}
