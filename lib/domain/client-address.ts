// The client's address for the per-address sign-in limit. Next.js gives route
// handlers no socket address: it writes the socket's into X-Forwarded-For only
// when the request carried none, so a client that sends its own header chooses
// the value. The header is therefore read only when the operator says how many
// proxies in front of the portal append to it (TRUSTED_PROXY_HOPS).

/**
 * The address `hops` trusted proxies saw the client connect from: the hops-th
 * entry from the right of X-Forwarded-For (each proxy appends the address it
 * was connected from). Null when no proxy is trusted or the header is too short.
 */
export function clientAddress(forwardedFor: string | null, hops: number): string | null {
  if (hops <= 0 || !forwardedFor) return null;
  const entries = forwardedFor
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const entry = entries[entries.length - hops];
  if (!entry || entry.length > 64 || !/^[0-9A-Fa-f:.[\]]+$/.test(entry)) return null;
  return entry.toLowerCase();
}
