import "server-only";
import { z } from "zod";
import { cleanId, cleanText } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { isGuardedRole, ROLE_LABEL, type TRole } from "../../domain/roles";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";
import { assertNotLastHolder, lockedGrant } from "./last-holder";

export const ZRevokeRole = z.object({
  grantId: cleanId(),
  reason: cleanText().trim().min(1, "Give a reason").max(500),
});

/**
 * Revokes a grant or withdraws a nomination; the person loses the role on
 * their next request. An approved admin or critical-admin grant needs a second
 * admin in the portal (requestRoleRevocation, then confirmRoleRevocation); only
 * the operator's CLI removes one alone. Nobody removes the last one.
 */
export async function revokeRole({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRevokeRole>) {
  authorize(actor, "roles:manage");
  const { grantId, reason } = ZRevokeRole.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const grant = await lockedGrant(tx, grantId);
    if (grant.approvedAt && isGuardedRole(grant.role)) {
      if (actor.kind === "person")
        throw new AppError(
          "FORBIDDEN",
          `Removing a ${ROLE_LABEL[grant.role]} needs a second admin: ask for the removal, and another admin confirms it.`,
        );
      if (!grant.revokedAt) await assertNotLastHolder(tx, grant.user, [grant.role]);
    }
    await revokeGrant(tx, actor, grant, reason);
  });
}

/** The guarded update and its audit event, shared by revoke and confirm. */
export async function revokeGrant(
  tx: Tx,
  actor: TActor,
  grant: { id: string; userId: string; role: TRole },
  reason: string,
  requestedBy?: string,
) {
  const { count } = await tx.roleGrant.updateMany({
    where: { id: grant.id, revokedAt: null },
    data: { revokedAt: new Date(), revokedById: actor.id, revokeReason: reason },
  });
  if (count === 0) throw new AppError("CONFLICT", "This grant was already revoked.");
  await appendAuditEvent(tx, {
    actor,
    action: "role.revoked",
    subjectType: "user",
    subjectId: grant.userId,
    payload: {
      userId: grant.userId,
      role: grant.role,
      reason,
      ...(requestedBy ? { requestedBy } : {}),
    },
  });
}
