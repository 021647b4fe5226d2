import "server-only";
import { z } from "zod";
import { cleanLine, cleanText } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { deadlineOf } from "../../domain/emergency-clock";
import { appendAuditEvent } from "../audit/append-event";
import { writeOutbox } from "../../jobs/outbox";

export const SEVERITIES = ["critical", "high"] as const;

export const ZDeclareEmergency = z.object({
  system: cleanLine().trim().min(1, "Choose the affected system"),
  title: cleanLine().trim().min(3, "What is wrong: at least 3 characters").max(200),
  description: cleanText().trim().min(1, "Describe what is wrong").max(10_000),
  severity: z.enum(SEVERITIES),
});

/**
 * E1: a critical admin or an assessor declares an emergency. The 24-hour
 * clock starts at the declaration; every team is told at once (outbox).
 * `now` is injectable so tests and fixtures never wait for real time.
 */
export async function declareEmergency({
  actor,
  now = new Date(),
  ...input
}: { actor: TActor; now?: Date } & z.input<typeof ZDeclareEmergency>) {
  const person = requirePerson(actor);
  authorize(person, "emergency:declare");
  const f = ZDeclareEmergency.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const system = await tx.targetSystem.findUnique({ where: { slug: f.system } });
    if (!system) throw new AppError("VALIDATION", `There is no target system "${f.system}".`);
    const deadlineAt = deadlineOf(now);
    const e = await tx.emergency.create({
      data: {
        systemId: system.id,
        title: f.title,
        description: f.description,
        severity: f.severity,
        declaredById: person.id,
        declaredAt: now,
        deadlineAt,
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "emergency.declared",
      subjectType: "emergency",
      subjectId: e.id,
      payload: {
        number: e.number,
        system: system.slug,
        title: e.title,
        severity: e.severity,
        deadlineAt: deadlineAt.toISOString(),
      },
    });
    await writeOutbox(
      tx,
      "emergency.declared",
      { emergencyId: e.id },
      `emergency:${e.id}:declared`,
    );
    return { id: e.id, number: e.number, deadlineAt };
  });
}
