// A registered key's revocation, read from the key itself, and the key as it
// stood at a given moment. Only openpgp.js, so the offline verifier
// (lib/dossier, `patchgate verify`) judges keys exactly as the server does.
import * as openpgp from "openpgp";

export type TKeyRevocation = { revokedAt: Date; reason: string };

const REASON_LABEL: Record<number, string> = {
  [openpgp.enums.reasonForRevocation.noReason]: "no reason given",
  [openpgp.enums.reasonForRevocation.keySuperseded]: "key superseded",
  [openpgp.enums.reasonForRevocation.keyCompromised]: "key compromised",
  [openpgp.enums.reasonForRevocation.keyRetired]: "key retired",
};

function describeReason(sig: openpgp.SignaturePacket): string {
  const label = REASON_LABEL[sig.reasonForRevocationFlag ?? 0] ?? "no reason given";
  const text = sig.reasonForRevocationString?.trim();
  return text ? `${label}: ${text}` : label;
}

/** The primary key's own revocation signatures that verify (any date). */
export async function validRevocations(key: openpgp.Key): Promise<openpgp.SignaturePacket[]> {
  const valid: openpgp.SignaturePacket[] = [];
  for (const sig of key.revocationSignatures) {
    try {
      await sig.verify(
        key.keyPacket,
        openpgp.enums.signature.keyRevocation,
        { key: key.keyPacket },
        null as unknown as Date, // null: no date check, as openpgp.js does for hard revocations
      );
      valid.push(sig);
    } catch {
      // not by this key, or damaged: it revokes nothing
    }
  }
  return valid;
}

/** The earliest valid revocation of the primary key: its creation time and reason, or null. */
export async function keyRevocation(key: openpgp.Key): Promise<TKeyRevocation | null> {
  const first = (await validRevocations(key))
    .filter((s) => s.created)
    .sort((a, b) => a.created!.getTime() - b.created!.getTime())[0];
  return first ? { revokedAt: first.created!, reason: describeReason(first) } : null;
}

/**
 * The key as it stood at `date`: revocations made after it are dropped. A
 * signature the server received before the owner revoked the key keeps
 * verifying as of its receipt time, while any later one is refused. (openpgp.js
 * alone applies a "hard" revocation at every date, which would void old
 * statements.) Changes `key` in place and returns it.
 */
export function keyAsOf<K extends openpgp.Key>(key: K, date: Date): K {
  // OpenPGP times are whole seconds: a revocation stamped in the very second of `date` counts
  // as known then (refusing is the safe side of that doubt).
  const known = (sigs: openpgp.SignaturePacket[]) =>
    sigs.filter((s) => !s.created || s.created <= date);
  key.revocationSignatures = known(key.revocationSignatures);
  for (const subkey of key.subkeys)
    subkey.revocationSignatures = known(subkey.revocationSignatures);
  for (const user of key.users) user.revocationSignatures = known(user.revocationSignatures);
  return key;
}

/** The user IDs whose self-certification verifies at `date` (unbound or revoked ones left out). */
export async function certifiedUserIds(key: openpgp.Key, date: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const user of key.users) {
    if (!user.userID) continue;
    try {
      await user.verify(date);
      ids.push(user.userID.userID);
    } catch {
      // no valid self-certification: the key does not claim this user ID
    }
  }
  return ids;
}
