import "server-only";
import { commitQueue, type Tx } from "../../db";
import { auditCanonicalEncoding, GENESIS_HASH } from "../../domain/audit-canonical";
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

// What every event's canonical encoding holds at the place of the two values the chain's
// head decides (RFC 8785 sorts the keys: "prevHash" and "seq" are adjacent).
const HEAD_MARK = `"prevHash":"${GENESIS_HASH}","seq":"0"`;

/**
 * Continues the chain from its stored head with `events`, in one round trip:
 * audit_append() (the transparency_log migration) takes the chain's
 * transaction-scoped advisory lock, reads the head, and inserts each event with
 * its seq, prevHash and hash, computed from the canonical encoding prepared
 * here around those two values. The lock makes concurrent writers take turns:
 * the chain never forks; it is held from here to the commit.
 */
async function writeEvents(tx: Tx, events: TQueued[]) {
  const at = new Date();
  const prepared = events.map((e) => {
    const fields = {
      at,
      actorId: e.actor.id,
      actorLabel: e.actor.label,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      payload: e.payload,
    };
    const text = auditCanonicalEncoding({ ...fields, seq: 0n, prevHash: GENESIS_HASH });
    // The last occurrence: a payload may hold the same keys, but it comes before them.
    const i = text.lastIndexOf(HEAD_MARK);
    return {
      fields,
      sql: {
        ...fields,
        at: at.toISOString(),
        before: text.slice(0, i) + `"prevHash":"`,
        after: `"` + text.slice(i + HEAD_MARK.length),
      },
    };
  });
  const written = await tx.$queryRaw<{ seq: bigint; prev_hash: string; hash: string }[]>`
    SELECT seq, prev_hash, hash FROM audit_append(${AUDIT_CHAIN_LOCK}::bigint, ${JSON.stringify(prepared.map((p) => p.sql))}::jsonb)`;
  return written.map((w, i) => ({
    ...prepared[i].fields,
    seq: BigInt(w.seq),
    prevHash: w.prev_hash,
    hash: w.hash,
  }));
}
