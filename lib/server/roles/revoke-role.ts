import "server-only";
import { z } from "zod";
import { cleanId, cleanText } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";

export const ZRevokeRole = z.object({
  grantId: cleanId(),
  reason: cleanText().trim().min(1, "Give a reason").max(500),
});

/** Revokes a grant or withdraws a nomination; the person loses the role on their next request. */
export async function revokeRole({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRevokeRole>) {
  authorize(actor, "roles:manage");
  const { grantId, reason } = ZRevokeRole.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const grant = await tx.roleGrant.findUnique({ where: { id: grantId } });
    if (!grant) throw new AppError("NOT_FOUND", "No such grant.");
    const { count } = await tx.roleGrant.updateMany({
      where: { id: grantId, revokedAt: null },
      data: { revokedAt: new Date(), revokedById: actor.id, revokeReason: reason },
    });
    if (count === 0) throw new AppError("CONFLICT", "This grant was already revoked.");
    await appendAuditEvent(tx, {
      actor,
      action: "role.revoked",
      subjectType: "user",
      subjectId: grant.userId,
      payload: { userId: grant.userId, role: grant.role, reason },
    });
  });
}
