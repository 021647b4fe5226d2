import "server-only";
import { db } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";

/** E7: the disputes, open ones first, for arbitrators (and portal admins, read-only). */
export async function listDisputes({ actor }: { actor: TActor }) {
  authorize(requirePerson(actor), "dispute:read");
  return db.dispute.findMany({
    orderBy: [{ state: "asc" }, { filedAt: "desc" }],
    take: 500,
    include: {
      emergency: {
        select: { number: true, title: true, state: true, system: { select: { slug: true } } },
      },
      ruling: { select: { verdict: true, ruledAt: true } },
    },
  });
}
