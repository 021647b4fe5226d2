import "server-only";

/** A registered key as the API shows it to its owner. */
export function keyEntry(k: {
  fingerprint: string;
  algorithm: string;
  userIds: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  revocationReason: string | null;
}) {
  return {
    fingerprint: k.fingerprint,
    algorithm: k.algorithm,
    userIds: k.userIds,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
    revocationReason: k.revocationReason,
  };
}

export type TKeyEntry = ReturnType<typeof keyEntry>;
