import {
  auditCanonicalEncoding,
  GENESIS_HASH,
  type TAuditHashInput,
} from "../domain/audit-canonical";
import { sha256Hex } from "./hash";

export function auditHash(e: TAuditHashInput): string {
  return sha256Hex(auditCanonicalEncoding(e));
}

export type TStoredAuditEvent = TAuditHashInput & { hash: string };

export type TChainFailure = { ok: false; firstBadSeq: bigint; reason: string };
export type TChainVerdict =
  { ok: true; count: number; head: { seq: bigint; hash: string } | null } | TChainFailure;

/**
 * Walks the chain one row at a time, in ascending `seq` order, so a log of any
 * length is checked in constant memory. Sequence numbers must run 1, 2, 3, ...
 * without gaps; each row must link to its predecessor's hash and hash to its own.
 */
export class AuditChainVerifier {
  private expectedSeq = 1n;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private head: { seq: bigint; hash: string } | null = null;

  /** Returns the failure at this row, or null when the row continues the chain. */
  next(row: TStoredAuditEvent): TChainFailure | null {
    const seq = BigInt(row.seq);
    if (seq !== this.expectedSeq) {
      return {
        ok: false,
        firstBadSeq: seq > this.expectedSeq ? this.expectedSeq : seq,
        reason: `sequence goes from ${this.expectedSeq - 1n} to ${seq}: a row was deleted, inserted or reordered`,
      };
    }
    if (row.prevHash !== this.prevHash) {
      return {
        ok: false,
        firstBadSeq: seq,
        reason: "link to the previous row is broken: a row was deleted, inserted or reordered",
      };
    }
    if (auditHash(row) !== row.hash) {
      return {
        ok: false,
        firstBadSeq: seq,
        reason: "content does not match its hash: the row was edited",
      };
    }
    this.prevHash = row.hash;
    this.head = { seq, hash: row.hash };
    this.expectedSeq += 1n;
    this.count += 1;
    return null;
  }

  result(): TChainVerdict {
    return { ok: true, count: this.count, head: this.head };
  }
}

export function verifyAuditChain(rows: Iterable<TStoredAuditEvent>): TChainVerdict {
  const verifier = new AuditChainVerifier();
  for (const row of rows) {
    const failure = verifier.next(row);
    if (failure) return failure;
  }
  return verifier.result();
}
