import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { isGuardedRole, ROLE_LABEL } from "../../domain/roles";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";
import { assertNotLastHolder, lockedGrant } from "./last-holder";
import { ZRevokeRole } from "./revoke-role";

export const ZRequestRoleRevocation = ZRevokeRole;

/**
 * The first of two admins asks to remove an admin or critical-admin grant. It
 * counts only once another admin confirms (confirmRoleRevocation). Refused at
 * once when it would remove the last holder, so nobody waits on a dead end.
 */
export async function requestRoleRevocation({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRequestRoleRevocation>) {
  authorize(actor, "roles:manage");
  const person = requirePerson(actor);
  const { grantId, reason } = ZRequestRoleRevocation.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const grant = await lockedGrant(tx, grantId);
    if (!grant.approvedAt || !isGuardedRole(grant.role))
      throw new AppError(
        "VALIDATION",
        `Only an approved admin or critical-admin grant needs a second admin; revoke this ${ROLE_LABEL[grant.role]} grant directly.`,
      );
    if (!grant.revokedAt) await assertNotLastHolder(tx, grant.user, [grant.role]);
    const { count } = await tx.roleGrant.updateMany({
      where: { id: grantId, revokedAt: null, revokeRequestedAt: null },
      data: {
        revokeRequestedAt: new Date(),
        revokeRequestedById: person.id,
        revokeRequestReason: reason,
      },
    });
    if (count === 0)
      throw new AppError("CONFLICT", "This grant is already revoked or its removal already asked.");
    await appendAuditEvent(tx, {
      actor: person,
      action: "role.revoke_requested",
      subjectType: "user",
      subjectId: grant.userId,
      payload: { userId: grant.userId, role: grant.role, reason },
    });
  });
}
