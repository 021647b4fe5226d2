import { auditCanonicalEncoding, type TAuditHashInput } from "../domain/audit-canonical";
import { leafHash } from "./merkle";

// The log's leaves are the audit events themselves: leaf i is the event with
// seq = i + 1, and its bytes are the event's canonical encoding — the same
// bytes whose SHA-256 is the chain's `hash`. prevHash is among them, so each
// leaf also commits to the event before it, and the hash chain keeps working
// beside the tree.

/** The leaf's bytes: the UTF-8 of the event's RFC 8785 canonical JSON. */
export function leafOfEvent(e: TAuditHashInput): Uint8Array {
  return new TextEncoder().encode(auditCanonicalEncoding(e));
}

/** The event's leaf hash in the tree, SHA-256(0x00 ‖ leaf). */
export function eventLeafHash(e: TAuditHashInput): Uint8Array {
  return leafHash(leafOfEvent(e));
}

/** Leaf index of the event with this seq (seq starts at 1, leaves at 0). */
export function leafIndexOfSeq(seq: bigint | number): number {
  const index = Number(seq) - 1;
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`no leaf for seq ${seq}`);
  return index;
}
