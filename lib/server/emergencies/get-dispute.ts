import "server-only";
import { db } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { can } from "../../domain/permissions";
import { mayRule } from "../../domain/emergency-ladder";
import { getEmergency } from "./get-emergency";

/** E7: a dispute with the complete record of its emergency, including the audit events. */
export async function getDispute({ actor, number }: { actor: TActor; number: number }) {
  const person = requirePerson(actor);
  authorize(person, "dispute:read");
  const dispute = await db.dispute.findUnique({
    where: { number },
    include: { emergency: { select: { number: true } } },
  });
  if (!dispute) return null;
  const emergency = (await getEmergency({ actor, number: dispute.emergency.number }))!;
  const subjects = [
    emergency.id,
    ...emergency.disputes.map((d) => d.id),
    ...emergency.patches.map((p) => p.id),
  ];
  const audit = await db.auditEvent.findMany({
    where: { subjectId: { in: subjects } },
    orderBy: { seq: "asc" },
  });
  const ruling = emergency.disputes.find((d) => d.id === dispute.id)?.ruling ?? null;
  return {
    dispute,
    ruling,
    emergency,
    audit: audit.map((a) => ({ ...a, seq: Number(a.seq) })),
    mayRule:
      can(person.roles, "dispute:rule") &&
      dispute.state === "OPEN" &&
      mayRule(person.id, emergency.participants),
    tookPart: emergency.participants.includes(person.id),
  };
}
