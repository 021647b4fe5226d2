// Trusted certificates' expiry (U3): a banner within 90 days, mail at 90, 30
// and 7 days before the end, once per mark.

export const EXPIRY_MARKS_DAYS = [90, 30, 7] as const;
export const BANNER_DAYS = 90;
const DAY_MS = 86_400_000;

/** Whole days left (floored; negative once expired). */
export function expiresInDays(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

export function showsExpiryBanner(notAfter: Date, now: Date): boolean {
  return notAfter.getTime() - now.getTime() <= BANNER_DAYS * DAY_MS;
}

/**
 * The mark whose mail is due now, or null: the smallest mark already reached
 * that has not been mailed. Reaching a mark covers the larger ones (a
 * certificate added with 20 days left gets the 30-day mail once, never the
 * 90-day one); `covered` lists the marks to record as done with it.
 */
export function dueExpiryMark(
  notAfter: Date,
  now: Date,
  mailed: readonly number[],
): { mark: number; covered: number[] } | null {
  const msLeft = notAfter.getTime() - now.getTime();
  if (msLeft <= 0) return null;
  const reached = EXPIRY_MARKS_DAYS.filter((m) => msLeft <= m * DAY_MS);
  if (reached.length === 0) return null;
  const mark = Math.min(...reached);
  if (mailed.some((m) => m <= mark)) return null;
  return { mark, covered: reached.filter((m) => !mailed.includes(m)) };
}
