// E7 with no disclosure before the fix: the public emergency log names an
// emergency in progress only by its system and the time it was declared. Its
// title, severity, decisions and disputes appear once it has ended (resolved,
// or closed as not an emergency): a title can tell an attacker where to look.

export const ENDED_STATES = ["RESOLVED", "CLOSED"] as const;

export function isEnded(state: string): boolean {
  return (ENDED_STATES as readonly string[]).includes(state);
}

export type TPublicInProgress = {
  number: number;
  system: string;
  declaredAt: string;
  inProgress: true;
};

/** What the public may see of one emergency: everything once it ended, else only system and time. */
export function redactForPublic<
  T extends { number: number; system: string; declaredAt: string; state: string },
>(e: T): (T & { inProgress: false }) | TPublicInProgress {
  if (isEnded(e.state)) return { ...e, inProgress: false };
  return { number: e.number, system: e.system, declaredAt: e.declaredAt, inProgress: true };
}

/** The one line an emergency in progress is shown as. */
export function inProgressLine(e: { system: string; declaredAt: string }): string {
  return `An emergency on ${e.system} since ${e.declaredAt.replace("T", " ").slice(0, 16)} UTC`;
}

/** How an ended emergency's outcome reads in the public log. */
export function endedLine(e: { state: string; endedAt: string | null }): string {
  const at = e.endedAt ? ` ${e.endedAt.replace("T", " ").slice(0, 16)} UTC` : "";
  return e.state === "CLOSED"
    ? `closed: not an emergency${at && ` (${at.trim()})`}`
    : `resolved${at}`;
}

/**
 * When a public entry last changed, as a feed's `updated`: the latest of the
 * instants shown. An entry in progress shows only its declaration, so it
 * changes only when it ends (the change a reader wants to hear about).
 */
export function lastChanged(instants: readonly (string | null | undefined)[]): string {
  const shown = instants.filter((i): i is string => !!i).map((i) => new Date(i).toISOString());
  return shown.sort().pop() ?? new Date(0).toISOString();
}
