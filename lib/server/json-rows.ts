import "server-only";

// Rows read as JSON inside a raw statement (to_jsonb, jsonb_agg: several tables in one round
// trip, decision 0013) carry a timestamp as text, "2026-12-03T14:32:10.123" (PostgreSQL's
// `timestamp(3)`, UTC without a zone). These turn the named fields back into the Dates
// Prisma's own reads return.

/** `row` with each of `keys` that holds text made a Date (UTC). */
export function withDates<T>(row: Record<string, unknown>, keys: readonly string[]): T {
  const out = { ...row };
  for (const k of keys) if (typeof out[k] === "string") out[k] = new Date(`${out[k]}Z`);
  return out as T;
}
