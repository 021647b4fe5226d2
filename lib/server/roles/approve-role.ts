import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";

export const ZApproveRole = z.object({ grantId: cleanId() });

/** Approves a pending nomination. Nobody approves their own nomination. */
export async function approveRole({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZApproveRole>) {
  authorize(actor, "roles:manage");
  const { grantId } = ZApproveRole.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const grant = await tx.roleGrant.findUnique({ where: { id: grantId } });
    if (!grant) throw new AppError("NOT_FOUND", "No such nomination.");
    if (actor.id !== null && grant.userId === actor.id) {
      throw new AppError("FORBIDDEN", "You cannot approve your own nomination.");
    }
    // Four eyes: the admin who nominated is not the one who approves.
    if (actor.id !== null && grant.nominatedById === actor.id) {
      throw new AppError("FORBIDDEN", "Another admin approves the nominations you made.");
    }
    const via = actor.kind === "system" ? actor.label : "portal";
    const { count } = await tx.roleGrant.updateMany({
      where: { id: grantId, approvedAt: null, revokedAt: null },
      data: { approvedAt: new Date(), approvedById: actor.id, approvedVia: via },
    });
    if (count === 0) throw new AppError("CONFLICT", "This nomination is no longer pending.");
    await appendAuditEvent(tx, {
      actor,
      action: "role.approved",
      subjectType: "user",
      subjectId: grant.userId,
      payload: { userId: grant.userId, role: grant.role, via },
    });
  });
}
