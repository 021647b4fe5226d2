import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";

export const ZCancelRoleRevocation = z.object({ grantId: z.string().min(1) });

/** Any admin withdraws an asked removal that was not confirmed yet. */
export async function cancelRoleRevocation({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZCancelRoleRevocation>) {
  authorize(actor, "roles:manage");
  const person = requirePerson(actor);
  const { grantId } = ZCancelRoleRevocation.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const grant = await tx.roleGrant.findUnique({ where: { id: grantId } });
    if (!grant) throw new AppError("NOT_FOUND", "No such grant.");
    const { count } = await tx.roleGrant.updateMany({
      where: { id: grantId, revokedAt: null, revokeRequestedAt: { not: null } },
      data: { revokeRequestedAt: null, revokeRequestedById: null, revokeRequestReason: null },
    });
    if (count === 0) throw new AppError("CONFLICT", "No open removal request on this grant.");
    await appendAuditEvent(tx, {
      actor: person,
      action: "role.revoke_cancelled",
      subjectType: "user",
      subjectId: grant.userId,
      payload: { userId: grant.userId, role: grant.role },
    });
  });
}
