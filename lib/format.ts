// How dates and fingerprints read on every page, mail and message: one place,
// so that the same instant never reads two ways.
//
// Pure and free of Node and server-only APIs: client components import it too.
// Every time is UTC, whatever the server's or the browser's zone, so a client
// component renders on the server exactly what it renders in the browser (no
// hydration mismatch) and two people in two countries read the same time.
// Strings are accepted where a client component received its dates as ISO
// strings.

type TInstant = Date | string;

/** "2026-03-04T05:06:07.000Z", however the instant came. */
const iso = (d: TInstant) => new Date(d).toISOString();

/** "2026-03-04": a day, where the hour does not matter. */
export function formatDate(d: TInstant): string {
  return iso(d).slice(0, 10);
}

/** "05:06 UTC": a time on a timeline whose day is shown elsewhere. */
export function formatTime(d: TInstant): string {
  return `${iso(d).slice(11, 16)} UTC`;
}

/** "2026-03-04 05:06 UTC": the usual way a moment reads. */
export function formatDateTime(d: TInstant): string {
  return `${formatDateTimeNoZone(d)} UTC`;
}

/** "2026-03-04 05:06": where the zone is said once (a table's heading), not in every cell. */
export function formatDateTimeNoZone(d: TInstant): string {
  return iso(d).slice(0, 16).replace("T", " ");
}

/** "2026-03-04 05:06:07", no zone either: to the second, for the logs (audit, outbox). */
export function formatDateTimeSeconds(d: TInstant): string {
  return iso(d).slice(0, 19).replace("T", " ");
}

/** "ABCD1234..." -> "ABCD 1234 ...": groups of four, to compare with `gpg --fingerprint`. */
export function formatFingerprint(fingerprint: string): string {
  return fingerprint.replace(/(.{4})/g, "$1 ").trim();
}
