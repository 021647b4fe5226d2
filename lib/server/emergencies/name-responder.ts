import "server-only";
import { z } from "zod";
import { cleanId, cleanLine } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { TEAMS, TEAM_ROLE } from "../../domain/emergency-ladder";
import { appendAuditEvent } from "../audit/append-event";
import { lockEmergency } from "./emergency-facts";

export const ZNameResponder = z.object({
  emergencyId: cleanId(),
  team: z.enum(TEAMS),
  userId: cleanId(),
  contact: cleanLine().trim().min(3, "Say how to reach them (phone, mail, IRC)").max(300),
});

/**
 * E2: a team names the person who responds and how to reach them. Named by a
 * member of that team or by whoever declared; the person must hold the team's
 * role. Renaming before the acknowledgement is allowed; after it, not.
 */
export async function nameResponder({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZNameResponder>) {
  const person = requirePerson(actor);
  authorize(person, "emergency:respond");
  const f = ZNameResponder.parse(input);
  const role = TEAM_ROLE[f.team];
  return db.$transaction(async (tx: Tx) => {
    await lockEmergency(tx, f.emergencyId);
    const e = await tx.emergency.findUniqueOrThrow({ where: { id: f.emergencyId } });
    if (e.state === "RESOLVED" || e.state === "CLOSED")
      throw new AppError("CONFLICT", "This emergency is over.");
    if (e.declaredById !== person.id && !person.roles.includes(role)) {
      throw new AppError(
        "FORBIDDEN",
        "A team's responder is named by a member of that team or by whoever declared the emergency.",
      );
    }
    const grant = await tx.roleGrant.findFirst({
      where: {
        userId: f.userId,
        role,
        approvedAt: { not: null },
        revokedAt: null,
        user: { disabledAt: null },
      },
    });
    if (!grant)
      throw new AppError(
        "VALIDATION",
        `The responder for this team must be an approved ${role.toLowerCase().replace("_", " ")}.`,
      );
    const existing = await tx.emergencyResponder.findUnique({
      where: { emergencyId_team: { emergencyId: e.id, team: f.team } },
    });
    if (existing?.acknowledgedAt)
      throw new AppError("CONFLICT", "This team's responder has already acknowledged standby.");
    const r = await tx.emergencyResponder.upsert({
      where: { emergencyId_team: { emergencyId: e.id, team: f.team } },
      create: { emergencyId: e.id, team: f.team, userId: f.userId, contact: f.contact },
      update: { userId: f.userId, contact: f.contact, namedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "emergency.responder",
      subjectType: "emergency",
      subjectId: e.id,
      payload: { team: f.team, userId: f.userId },
    });
    return { id: r.id };
  });
}
