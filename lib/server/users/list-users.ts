import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";

export async function listUsers({ actor }: { actor: TActor }) {
  authorize(actor, "roles:manage");
  return db.user.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, email: true, disabledAt: true },
  });
}
