import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, Prisma } from "./generated/prisma/client";
import { env } from "./env";

/** A transaction client, as passed to `db.$transaction(async (tx) => ...)`. */
export type Tx = Prisma.TransactionClient;
export { Prisma };

/**
 * A row id for a raw INSERT (the hot paths', decision 0013): a UUID, as Prisma's
 * `@default(uuid())` makes for the same tables, so their rows look alike. (cuid2 would cost
 * 0.35 ms of CPU per id; this costs a microsecond.)
 */
export const newId = (): string => randomUUID();

type TFlush = (tx: Tx) => Promise<unknown>;

// The work a transaction of `db` runs after its callback, just before it commits, keyed by
// the transaction client. Only transactions opened through `db.$transaction(fn)` are keys.
const atCommit = new WeakMap<Tx, Map<symbol, { items: unknown[]; flush: TFlush }>>();

/**
 * The queue `key` of this transaction: items pushed on it are handed to `flush` once, after
 * the transaction's callback returned and before it commits (decision 0012: the audit chain's
 * lock is taken there, so it is held for a few milliseconds, not for the whole transaction).
 * Null when `tx` was not opened by `db.$transaction(fn)`: the caller then does the work at once.
 */
export function commitQueue<T>(
  tx: Tx,
  key: symbol,
  flush: (tx: Tx, items: T[]) => Promise<unknown>,
): T[] | null {
  const queues = atCommit.get(tx);
  if (!queues) return null;
  let q = queues.get(key);
  if (!q) {
    const items: T[] = [];
    q = { items, flush: (t) => flush(t, items) };
    queues.set(key, q);
  }
  return q.items as T[];
}

/** `client.$transaction(fn)` runs fn, then the queued at-commit work, in the same transaction. */
function withCommitQueues(client: PrismaClient): PrismaClient {
  const original = client.$transaction.bind(client) as (
    a: unknown,
    o?: unknown,
  ) => Promise<unknown>;
  const transaction = (arg: unknown, options?: unknown) => {
    if (typeof arg !== "function") return original(arg, options);
    return original(async (tx: Tx) => {
      atCommit.set(tx, new Map());
      const result = await (arg as (tx: Tx) => Promise<unknown>)(tx);
      const queues = atCommit.get(tx)!;
      atCommit.delete(tx);
      for (const q of queues.values()) if (q.items.length) await q.flush(tx);
      return result;
    }, options);
  };
  Object.defineProperty(client, "$transaction", { value: transaction, configurable: true });
  return client;
}

// One client per process (and one across Next dev-mode reloads).
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const db: PrismaClient =
  globalForPrisma.prisma ??
  withCommitQueues(
    new PrismaClient({
      adapter: new PrismaPg({ connectionString: env().DATABASE_URL }),
      // A burst of sign-offs may wait for a pooled connection longer than Prisma's 2 s
      // default before its transaction starts; waiting beats failing the request.
      transactionOptions: { maxWait: 10_000 },
    }),
  );

if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = db;
