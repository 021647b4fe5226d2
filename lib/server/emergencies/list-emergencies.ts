import "server-only";
import { db } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";

/** The signed-in list: open emergencies first, with their deadlines. */
export async function listEmergencies({ actor }: { actor: TActor }) {
  authorize(requirePerson(actor), "patch:read");
  return db.emergency.findMany({
    orderBy: [{ declaredAt: "desc" }],
    take: 200,
    select: {
      id: true,
      number: true,
      title: true,
      severity: true,
      state: true,
      declaredAt: true,
      deadlineAt: true,
      system: { select: { slug: true } },
      _count: { select: { disputes: true } },
    },
  });
}
