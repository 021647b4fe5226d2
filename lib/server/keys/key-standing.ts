import "server-only";
import { userIdsClaimEmail } from "../../domain/key-user-ids";

/**
 * How a registered key stands, for every page that shows it: revoked (a
 * statement received before `revokedAt` still counts), and whether one of its
 * user IDs carries the owner's address (keys registered before that was
 * required may not).
 */
export function keyStanding(
  key: { revokedAt: Date | null; revocationReason: string | null; userIds: string[] },
  ownerEmail: string,
) {
  return {
    revokedAt: key.revokedAt,
    revocationReason: key.revocationReason,
    matchesAccount: userIdsClaimEmail(key.userIds, ownerEmail),
  };
}

export type TKeyStanding = ReturnType<typeof keyStanding>;
