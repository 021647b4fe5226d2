import "server-only";
import { db } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";

/** Target systems and their policy: readable by every signed-in person. */
export async function listSystems({ actor }: { actor: TActor }) {
  requirePerson(actor);
  return db.targetSystem.findMany({
    orderBy: { slug: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      procedure: true,
      reviewsRequired: true,
      testsRequired: true,
    },
  });
}
