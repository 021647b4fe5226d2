import "server-only";
import { z } from "zod";
import { cleanId, cleanText } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { ROLES } from "../../domain/roles";
import { AppError } from "../../errors";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";

export const ZNominateRole = z.object({
  userId: cleanId(),
  role: z.enum(ROLES),
  note: cleanText().trim().max(500).optional(),
});

/** Nominates a person for a role; the grant counts only once approved (P2). */
export async function nominateRole({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZNominateRole>) {
  authorize(actor, "roles:manage");
  const data = ZNominateRole.parse(input);
  try {
    return await db.$transaction(async (tx: Tx) => {
      const user = await tx.user.findUnique({ where: { id: data.userId }, select: { id: true } });
      if (!user) throw new AppError("NOT_FOUND", "No such user.");
      const grant = await tx.roleGrant.create({
        data: {
          userId: data.userId,
          role: data.role,
          nominatedById: actor.id,
          nominatedVia: actor.kind === "system" ? actor.label : "portal",
          note: data.note || null,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "role.nominated",
        subjectType: "user",
        subjectId: data.userId,
        payload: {
          userId: data.userId,
          role: data.role,
          ...(data.note ? { note: data.note } : {}),
        },
      });
      return grant;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("CONFLICT", "This person already holds or is nominated for that role.");
    throw e;
  }
}
