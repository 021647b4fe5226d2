import "server-only";
import { db } from "../../db";
import { keyStanding } from "../keys/key-standing";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { emergencyClock } from "../../domain/emergency-clock";
import { escalationMarks, loadLadder, participantsOf } from "./emergency-facts";

/** Everything the emergency page shows: the clock, the ladder (nextSteps() reads it), the record. */
export async function getEmergency({
  actor,
  number,
  now = new Date(),
}: {
  actor: TActor;
  number: number;
  now?: Date;
}) {
  const person = requirePerson(actor);
  authorize(person, "patch:read");
  const row = await db.emergency.findUnique({ where: { number }, select: { id: true } });
  if (!row) return null;
  const { emergency, ladder } = await db.$transaction((tx) => loadLadder(tx, row.id));
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(participantsOf(emergency))] } },
    select: { id: true, name: true },
  });
  const name = (id: string) => users.find((u) => u.id === id)?.name ?? "unknown";
  const statements = (
    await db.signedStatement.findMany({
      where: { subjectType: "emergency", subjectId: emergency.id },
      orderBy: { receivedAt: "asc" },
      include: {
        key: { select: { revokedAt: true, revocationReason: true, userIds: true } },
        signer: { select: { email: true } },
      },
    })
  ).map(({ key, signer, ...s }) => ({ ...s, keyStanding: keyStanding(key, signer.email) }));
  const rulings = await db.ruling.findMany({
    where: { disputeId: { in: emergency.disputes.map((d) => d.id) } },
    include: { arbitrator: { select: { name: true } } },
  });
  const patches = await db.patch.findMany({
    where: { emergencyId: emergency.id },
    select: { id: true, number: true, title: true, state: true },
  });
  return {
    id: emergency.id,
    number: emergency.number,
    title: emergency.title,
    description: emergency.description,
    severity: emergency.severity,
    state: emergency.state,
    system: { slug: emergency.system.slug, name: emergency.system.name },
    declaredBy: { id: emergency.declaredById, name: name(emergency.declaredById) },
    declaredAt: emergency.declaredAt,
    resolvedAt: emergency.resolvedAt,
    clock: emergencyClock({ declaredAt: emergency.declaredAt, now, marks: escalationMarks() }),
    ladder,
    responders: emergency.responders.map((r) => ({ ...r, name: name(r.userId) })),
    moves: emergency.moves.map((m) => ({
      id: m.id,
      kind: m.kind,
      reason: m.reason,
      at: m.at,
      actor: { id: m.actorId, name: name(m.actorId) },
      data: m.data as Record<string, string> | null,
      statement: statements.find((s) => s.id === m.statementId) ?? null,
    })),
    sessions: emergency.sessions.map((s) => ({
      ...s,
      granteeName: name(s.granteeId),
      watcherName: name(s.watcherId),
    })),
    disputes: emergency.disputes.map((d) => ({
      ...d,
      ruling: rulings.find((r) => r.disputeId === d.id) ?? null,
    })),
    statements,
    patches,
    participants: participantsOf(emergency),
  };
}
export type TEmergencyView = NonNullable<Awaited<ReturnType<typeof getEmergency>>>;
