import "server-only";
import { commitQueue, type Tx } from "../../db";
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
const AUDIT_QUEUE = Symbol("audit events");

export type TAuditActor = Pick<TActor, "id" | "label"> | { id: null; label: string };

export type TAuditInput<A extends TAuditAction> = {
  actor: TAuditActor;
  action: A;
  subjectType: string;
  subjectId: string;
  payload: TAuditPayload<A>;
};

type TQueued = Omit<TAuditInput<TAuditAction>, "payload"> & { payload: object };

/**
 * Appends one event to the hash chain inside the caller's transaction, so the
 * event exists exactly when the change it records does. In a transaction of
 * `db.$transaction(fn)` the event is queued and written when fn has returned,
 * just before the commit (decision 0012): the chain's lock is then held for
 * one insert and the commit, not for the rest of the transaction, so writers
 * of different patches no longer take turns. The payload is checked now, so
 * a bad one still fails the change. Elsewhere the event is written at once.
 */
export async function appendAuditEvent<A extends TAuditAction>(
  tx: Tx,
  input: TAuditInput<A>,
): Promise<void> {
  const event: TQueued = {
    ...input,
    payload: parseAuditPayload(input.action, input.payload) as object,
  };
  const queue = commitQueue(tx, AUDIT_QUEUE, writeEvents);
  if (queue) queue.push(event);
  else await writeEvents(tx, [event]);
}

/**
 * Appends one event now and returns it, for the rare caller that needs its
 * `seq` inside the transaction (a dedupe key naming the event). It holds the
 * chain's lock from here to the commit: keep what follows it short.
 */
export async function appendAuditEventNow<A extends TAuditAction>(tx: Tx, input: TAuditInput<A>) {
  const payload = parseAuditPayload(input.action, input.payload) as object;
  const [row] = await writeEvents(tx, [{ ...input, payload }]);
  return row;
}

/**
 * Under the chain's transaction-scoped advisory lock, continues the chain from
 * its stored head with `events`, in one insert. The lock makes concurrent
 * writers take turns: the chain never forks.
 */
async function writeEvents(tx: Tx, events: TQueued[]) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  let seq = last?.seq ?? 0n;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const rows = events.map((e) => {
    seq += 1n;
    const row = {
      seq,
      at,
      actorId: e.actor.id,
      actorLabel: e.actor.label,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      payload: e.payload,
      prevHash,
    };
    const withHash = { ...row, hash: auditHash(row) };
    prevHash = withHash.hash;
    return withHash;
  });
  await tx.auditEvent.createMany({ data: rows });
  return rows;
}
