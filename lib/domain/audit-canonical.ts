import canonicalize from "canonicalize";

// The exact bytes an audit event's hash covers: RFC 8785 (JCS) canonical JSON of
// every field but the hash itself. Any edit, deletion, insertion or reordering of
// rows changes some event's hash or breaks a prevHash link.
export type TAuditHashInput = {
  seq: bigint | number;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string;
  payload: unknown;
  prevHash: string;
};

export const GENESIS_HASH = "0".repeat(64);

export function auditCanonicalEncoding(e: TAuditHashInput): string {
  const text = canonicalize({
    v: 1,
    seq: e.seq.toString(),
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    payload: e.payload,
    prevHash: e.prevHash,
  });
  if (text === undefined) throw new Error("audit event cannot be canonicalised");
  return text;
}
