import "server-only";
import type { Tx } from "../../db";
import { auditHash } from "../../crypto/audit-chain";
import { GENESIS_HASH } from "../../domain/audit-canonical";
import {
  parseAuditPayload,
  type TAuditAction,
  type TAuditPayload,
} from "../../domain/audit-events";
import type { TActor } from "../../auth/actor";

// Any constant: the one advisory lock that serialises writers of the chain.
const AUDIT_CHAIN_LOCK = 0x7061_7463; // "patc"

export type TAuditActor = Pick<TActor, "id" | "label"> | { id: null; label: string };

export type TAuditInput<A extends TAuditAction> = {
  actor: TAuditActor;
  action: A;
  subjectType: string;
  subjectId: string;
  payload: TAuditPayload<A>;
};

/**
 * Appends one event to the hash chain inside the caller's transaction, so the
 * event exists exactly when the change it records does. The transaction-scoped
 * advisory lock makes concurrent writers take turns: the chain never forks.
 */
export async function appendAuditEvent<A extends TAuditAction>(tx: Tx, input: TAuditInput<A>) {
  const payload = parseAuditPayload(input.action, input.payload);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const row = {
    seq: (last?.seq ?? 0n) + 1n,
    at: new Date(),
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    payload: payload as object,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  return tx.auditEvent.create({ data: { ...row, hash: auditHash(row) } });
}
