// Exponential back-off for sign-in (issue 11, finding 4). Pure: the throttle in
// lib/server/auth/sign-in-throttle.ts keeps the counts; this says what they mean.

/** Consecutive failures after which an account is locked. */
export const LOCK_AFTER_FAILURES = 10;
/** The first lock-out; every further failure doubles it. */
export const FIRST_LOCK_SECONDS = 60;
/** No lock-out lasts longer: the owner is never shut out for days. */
export const MAX_LOCK_SECONDS = 60 * 60;
/** Failures are forgotten this long after the first of a run (or at once on success). */
export const FAILURE_MEMORY_SECONDS = 24 * 60 * 60;

/** Failed sign-ins one client address may make per window before it is refused. */
export const ADDRESS_MAX_FAILURES = 100;
export const ADDRESS_WINDOW_SECONDS = 60 * 60;

/**
 * How long an account stays locked after its `failures`-th consecutive failure:
 * 0 before the 10th, then 1 min, 2 min, 4 min … up to 1 h.
 */
export function lockSeconds(failures: number): number {
  if (!Number.isFinite(failures) || failures < LOCK_AFTER_FAILURES) return 0;
  const doublings = Math.min(failures - LOCK_AFTER_FAILURES, 32);
  return Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** doublings);
}

/** A wait as people say it, rounded up: "45 seconds", "1 minute", "17 minutes", "1 hour". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"}`;
  const h = Math.ceil(m / 60);
  return `${h} hour${h === 1 ? "" : "s"}`;
}

// The refusal travels from authorize() to the login form as Auth.js's
// CredentialsSignin `code`: a short string, parsed back here.
export type TSignInRefusal =
  | { kind: "wrong_credentials" }
  | { kind: "account_locked"; waitSeconds: number }
  | { kind: "address_limited"; waitSeconds: number };

export function refusalCode(r: TSignInRefusal): string {
  return r.kind === "wrong_credentials"
    ? r.kind
    : `${r.kind}:${Math.max(1, Math.ceil(r.waitSeconds))}`;
}

export function parseRefusalCode(code: string | undefined): TSignInRefusal {
  const m = /^(account_locked|address_limited):([1-9][0-9]{0,6})$/.exec(code ?? "");
  if (!m) return { kind: "wrong_credentials" };
  return { kind: m[1] as "account_locked" | "address_limited", waitSeconds: Number(m[2]) };
}

/** What the login page says: never whether the account exists, always how long to wait. */
export function refusalMessage(r: TSignInRefusal): string {
  if (r.kind === "account_locked")
    return `Too many failed sign-ins for this account. Try again in ${formatWait(r.waitSeconds)}.`;
  if (r.kind === "address_limited")
    return `Too many failed sign-ins from your network address. Try again in ${formatWait(r.waitSeconds)}.`;
  return "Wrong email or password.";
}
