import type { Prisma } from "../lib/generated/prisma/client";
import { db } from "../lib/db";
import { isUniqueViolation } from "../lib/server/prisma-errors";

// Effect receipts: the key of an effect that happened, in Postgres. A retried
// or duplicated job finds the receipt and does not do the effect again.

export type TJson = Prisma.InputJsonValue;

export async function findReceipt<T>(key: string): Promise<T | null> {
  const row = await db.effectReceipt.findUnique({ where: { key } });
  return row ? (row.result as T) : null;
}

/** Records the receipt once; a concurrent duplicate keeps the first one. */
export async function writeReceipt(key: string, outboxId: string, result: TJson): Promise<void> {
  try {
    await db.effectReceipt.create({ data: { key, outboxId, result } });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
}

/**
 * Does an effect at most once per key, as far as the peer allows: the receipt
 * is written after the effect, so a crash between the two repeats it. Used for
 * effects that are harmless to repeat (an upload that overwrites, a status set).
 */
export async function onceAfter<T extends TJson>(
  key: string,
  outboxId: string,
  effect: () => Promise<T>,
): Promise<T> {
  const done = await findReceipt<T>(key);
  if (done !== null) return done;
  const result = await effect();
  await writeReceipt(key, outboxId, result);
  return result;
}

export async function updateReceipt(key: string, result: TJson): Promise<void> {
  await db.effectReceipt.update({ where: { key }, data: { result } });
}
