import "server-only";
import type { Tx } from "../../db";
import type { TActor } from "../../auth/actor";
import { appendAuditEvent } from "../audit/append-event";

export type TRevokeAllReason = "password_changed" | "password_set" | "disabled";

/**
 * Ends every live token of a user, inside the caller's transaction: a token
 * must not outlive the password or the account it was made under.
 */
export async function revokeAllTokens(
  tx: Tx,
  actor: TActor,
  userId: string,
  reason: TRevokeAllReason,
): Promise<number> {
  const { count } = await tx.apiToken.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count > 0)
    await appendAuditEvent(tx, {
      actor,
      action: "token.revoked_all",
      subjectType: "user",
      subjectId: userId,
      payload: { userId, count, reason },
    });
  return count;
}
