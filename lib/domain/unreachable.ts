// Errors that say a peer (mail server, tracker, mirror, the database) could not
// be reached, as opposed to one that answered "no". Reaching nobody is not a
// failure of the effect: it waits and tries again without spending a retry.

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EPIPE",
]);
const NETWORK_TEXT = /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN)\b/;

type TErrorish = {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  responseCode?: unknown;
  errors?: unknown;
};

function* chain(e: unknown): Generator<TErrorish> {
  const seen = new Set<unknown>();
  const todo = [e];
  while (todo.length) {
    const x = todo.shift();
    if (!x || typeof x !== "object" || seen.has(x)) continue;
    seen.add(x);
    const err = x as TErrorish;
    yield err;
    todo.push(err.cause);
    // AggregateError (a host with several addresses, all refusing).
    if (Array.isArray(err.errors)) todo.push(...err.errors);
  }
}

/**
 * The reason a peer could not be reached, or null when the error is anything
 * else. An SMTP 4xx reply ("try again later") counts: the server said so.
 */
export function unreachableReason(e: unknown): string | null {
  for (const err of chain(e)) {
    const code = typeof err.code === "string" ? err.code : "";
    const message = typeof err.message === "string" ? err.message : "";
    if (NETWORK_CODES.has(code) || NETWORK_TEXT.test(message)) return message || code;
    if (typeof err.responseCode === "number" && err.responseCode >= 400 && err.responseCode < 500)
      return message || `SMTP ${err.responseCode}`;
  }
  return null;
}

/** The delay before the next look at a waiting effect: doubling from `baseMs`, never above `maxMs`. */
export function waitDelayMs(waitsSoFar: number, baseMs: number, maxMs: number): number {
  const n = Math.max(0, Math.min(waitsSoFar, 40));
  return Math.min(baseMs * 2 ** n, maxMs);
}
