import "server-only";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "../../db";
import {
  ADDRESS_MAX_FAILURES,
  ADDRESS_WINDOW_SECONDS,
  FAILURE_MEMORY_SECONDS,
  lockSeconds,
  type TSignInRefusal,
} from "../../domain/sign-in-backoff";

// rate-limiter-flexible on PostgreSQL (table SignInThrottle, docs/decisions/
// 0009-sign-in-throttle-on-postgresql.md): the sign-in already needs the
// database, so the throttle is up exactly when sign-in is, and never fails open.

function limiter(keyPrefix: string, points: number, duration: number, sweeper = false) {
  return new RateLimiterPrisma({
    storeClient: db,
    tableName: "signInThrottle",
    keyPrefix,
    points,
    duration,
    // The library's sweep deletes expired rows of the whole table: one limiter runs it.
    clearExpiredByTimeout: sweeper,
  });
}

// Consecutive failures per account (the e-mail as typed, so unknown addresses
// behave exactly like real ones and reveal nothing).
const failures = limiter("signin-fail", Number.MAX_SAFE_INTEGER, FAILURE_MEMORY_SECONDS, true);
// The lock itself: one point per window, taken atomically by the attempt that may proceed.
const lock = limiter("signin-lock", 1, 60);
// Failures per client address (only when a trusted proxy names it).
const byAddress = limiter("signin-addr", ADDRESS_MAX_FAILURES, ADDRESS_WINDOW_SECONDS);

const waitOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export type TAttempt =
  | { allowed: true; number: number }
  | { allowed: false; refusal: Exclude<TSignInRefusal, { kind: "wrong_credentials" }> };

/**
 * Asks before the password is checked. The attempt is counted as a failure up
 * front (an atomic increment), so a burst of parallel guesses cannot all slip
 * past a check that none of them has yet failed; success clears the count.
 */
export async function beginAttempt(account: string, address: string | null): Promise<TAttempt> {
  if (address) {
    const used = await byAddress.get(address);
    if (used && used.consumedPoints >= ADDRESS_MAX_FAILURES)
      return { allowed: false, refusal: { kind: "address_limited", waitSeconds: waitOf(used) } };
  }
  const locked = await lock.get(account);
  if (locked && locked.consumedPoints >= 1 && locked.msBeforeNext > 0)
    return { allowed: false, refusal: { kind: "account_locked", waitSeconds: waitOf(locked) } };

  const number = (await failures.penalty(account, 1)).consumedPoints;
  const wait = lockSeconds(number);
  if (wait > 0) {
    // From the 10th attempt on, each one takes the lock before its password is
    // checked: one attempt per wait, however many arrive at once.
    try {
      await lock.consume(account, 1, { customDuration: wait });
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      await failures.reward(account, 1); // refused unseen: it does not lengthen the next wait
      return { allowed: false, refusal: { kind: "account_locked", waitSeconds: waitOf(e) } };
    }
  }
  return { allowed: true, number };
}

/** After a wrong password: the address's count grows; the account's already did. */
export async function recordFailure(
  attempt: number,
  address: string | null,
): Promise<{ failures: number; waitSeconds: number }> {
  if (address) await byAddress.penalty(address, 1);
  return { failures: attempt, waitSeconds: lockSeconds(attempt) };
}

/** The right password: the account starts afresh. */
export async function recordSuccess(account: string): Promise<void> {
  await Promise.all([failures.delete(account), lock.delete(account)]);
}
