import "server-only";
import { db, type Tx } from "../../db";
import { WORKER_ACTOR } from "../../auth/actor";
import { emergencyClock } from "../../domain/emergency-clock";
import { TEAMS } from "../../domain/emergency-ladder";
import { writeOutbox } from "../../jobs/outbox";
import { appendAuditEvent } from "../audit/append-event";
import { escalationMarks, lockEmergency } from "./emergency-facts";

/**
 * E2/E3: for every emergency still on option 1 (or not started), owes the
 * escalation notice of each clock mark passed, and, until the deadline, a
 * reminder to every team with no responder or no acknowledgement. When the
 * deadline passes, everyone is told once (and the audit log says so); then
 * the reminders stop. An emergency that ended is not swept at all. Idempotent through the outbox's
 * dedupe keys: run it on a schedule (the workers' repeatable job) as often as
 * you like. `now` is injectable.
 */
export async function sweepEscalations({
  now = new Date(),
  marks = escalationMarks(),
}: { now?: Date; marks?: number[] } = {}) {
  const open = await db.emergency.findMany({
    where: { state: { in: ["DECLARED", "OPTION1"] } },
    include: { responders: true },
  });
  let written = 0;
  for (const e of open) {
    const clock = emergencyClock({ declaredAt: e.declaredAt, now, marks });
    await db.$transaction(async (tx: Tx) => {
      // Under the emergency's lock: one that ended meanwhile is owed nothing.
      await lockEmergency(tx, e.id);
      const current = await tx.emergency.findUniqueOrThrow({
        where: { id: e.id },
        select: { state: true },
      });
      if (current.state !== "DECLARED" && current.state !== "OPTION1") return;
      if (clock.overdue) {
        const key = `emergency:${e.id}:deadline`;
        if (await tx.outbox.findUnique({ where: { dedupeKey: key } })) return;
        await writeOutbox(tx, "emergency.deadline", { emergencyId: e.id }, key);
        await appendAuditEvent(tx, {
          actor: WORKER_ACTOR,
          action: "emergency.deadline-passed",
          subjectType: "emergency",
          subjectId: e.id,
          payload: { deadlineAt: clock.deadlineAt.toISOString(), state: e.state },
        });
        written++;
        return;
      }
      for (const h of clock.passedMarks) {
        const key = `emergency:${e.id}:mark:${h}`;
        if (await tx.outbox.findUnique({ where: { dedupeKey: key } })) continue;
        await writeOutbox(tx, "emergency.escalation", { emergencyId: e.id, hoursBefore: h }, key);
        await appendAuditEvent(tx, {
          actor: WORKER_ACTOR,
          action: "emergency.escalated",
          subjectType: "emergency",
          subjectId: e.id,
          payload: { hoursBefore: h },
        });
        written++;
      }
      // One reminder per team per hour of silence.
      const hour = Math.floor((now.getTime() - e.declaredAt.getTime()) / 3_600_000);
      for (const team of TEAMS) {
        const r = e.responders.find((x) => x.team === team);
        if (r?.acknowledgedAt) continue;
        const key = `emergency:${e.id}:remind:${team}:${hour}`;
        if (await tx.outbox.findUnique({ where: { dedupeKey: key } })) continue;
        await writeOutbox(tx, "emergency.reminder", { emergencyId: e.id, team }, key);
        written++;
      }
    });
  }
  return { emergencies: open.length, written };
}
