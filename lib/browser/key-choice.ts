// Which of this browser's keys the signing dialog offers, and which it picks.
// Pure, so the rules are tested apart from React and IndexedDB.

type TWithFingerprint = { fingerprint: string };

export function isRegistered(fingerprint: string, registered: readonly string[]): boolean {
  const f = fingerprint.toUpperCase();
  return registered.some((r) => r.toUpperCase() === f);
}

/**
 * The stored keys that could sign for this person: one of their registered
 * keys, or the key the statement names. Another account's keys (a shared
 * browser) and keys since removed from the profile are left out.
 */
export function fittingKeys<T extends TWithFingerprint>(
  stored: readonly T[],
  registered: readonly string[],
  statementFingerprint?: string,
): T[] {
  const wanted = new Set(registered.map((f) => f.toUpperCase()));
  if (statementFingerprint) wanted.add(statementFingerprint.toUpperCase());
  return stored.filter((k) => wanted.has(k.fingerprint.toUpperCase()));
}

/** The key to ask the statement for: the only fitting one, else the server's choice. */
export function keyToRequest(fitting: readonly TWithFingerprint[]): string | undefined {
  return fitting.length === 1 ? fitting[0].fingerprint : undefined;
}

/**
 * The key preselected in the dialog: the one the statement names when this
 * browser holds it, else the only fitting one. With several and none named,
 * the person chooses: guessing would put the wrong key's passphrase prompt first.
 */
export function preselectedKey(
  fitting: readonly TWithFingerprint[],
  statementFingerprint: string,
): string | null {
  const named = fitting.find(
    (k) => k.fingerprint.toUpperCase() === statementFingerprint.toUpperCase(),
  );
  if (named) return named.fingerprint;
  return fitting.length === 1 ? fitting[0].fingerprint : null;
}
