// The HTTPS check's allow-list entries (S3): exact hosts, never patterns. Pure.
import { isIP } from "node:net";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/**
 * The host as it is kept (lower case, an IPv6 literal without brackets), or null with why not:
 * a DNS name or an IP literal, no port, no wildcard, no scheme or path.
 */
export function readHttpsHost(input: string): { host: string } | { problem: string } {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (s === "") return { problem: "Host: a DNS name or an IP address" };
  if (s.includes("*")) return { problem: "Host: exact names only, no wildcard" };
  if (isIP(s)) return { host: s };
  if (/[/:@?#]/.test(s))
    return { problem: "Host: the name alone, without scheme, port, user or path" };
  if (s.length > 253 || !DNS_NAME.test(s.replace(/\.$/, "")))
    return { problem: "Host: letters, digits, dashes and dots, as a DNS name" };
  return { host: s.replace(/\.$/, "") };
}
