import "server-only";
import { z } from "zod";
import { cleanId, cleanText } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";
import { revokeAllTokens } from "../tokens/revoke-all-tokens";
import { assertNotLastHolder, lockGuardedRoles } from "../roles/last-holder";
import { USER_ENTRY } from "./list-users";

export const ZSetUserDisabled = z.object({
  userId: cleanId(),
  disabled: z.boolean(),
  reason: cleanText().trim().max(500).optional(),
});

/**
 * Disables or re-enables an account. Disabling bumps the session version, so
 * live sessions die on their next request, and revokes every token: re-enabling
 * gives back neither (the person signs in anew and makes new tokens). The last
 * enabled admin or critical admin cannot be disabled. Answers the account as now.
 */
export async function setUserDisabled({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZSetUserDisabled>) {
  authorize(actor, "roles:manage");
  const { userId, disabled, reason } = ZSetUserDisabled.parse(input);
  if (actor.id === userId) throw new AppError("FORBIDDEN", "You cannot disable your own account.");
  return db.$transaction(async (tx: Tx) => {
    if (disabled) {
      await lockGuardedRoles(tx);
      const user = await tx.user.findUnique({
        where: { id: userId },
        select: {
          id: true,
          name: true,
          grants: { where: { approvedAt: { not: null }, revokedAt: null } },
        },
      });
      if (user)
        await assertNotLastHolder(
          tx,
          user,
          user.grants.map((g) => g.role),
        );
    }
    const { count } = await tx.user.updateMany({
      where: { id: userId, disabledAt: disabled ? null : { not: null } },
      data: disabled
        ? { disabledAt: new Date(), sessionVersion: { increment: 1 } }
        : { disabledAt: null },
    });
    if (count === 0) {
      const exists = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
      throw exists
        ? new AppError(
            "CONFLICT",
            disabled ? "The account is already disabled." : "The account is not disabled.",
          )
        : new AppError("NOT_FOUND", "No such user.");
    }
    await appendAuditEvent(tx, {
      actor,
      action: disabled ? "user.disabled" : "user.enabled",
      subjectType: "user",
      subjectId: userId,
      payload: disabled ? { ...(reason ? { reason } : {}) } : {},
    });
    if (disabled) await revokeAllTokens(tx, actor, userId, "disabled");
    return tx.user.findUniqueOrThrow({ where: { id: userId }, select: USER_ENTRY });
  });
}
