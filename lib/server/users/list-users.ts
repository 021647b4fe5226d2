import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";

/** An account as admins see it (the roles page, the API): never its password or sessions. */
export const USER_ENTRY = { id: true, name: true, email: true, disabledAt: true } as const;

export async function listUsers({ actor }: { actor: TActor }) {
  authorize(actor, "roles:manage");
  return db.user.findMany({
    orderBy: { name: "asc" },
    select: USER_ENTRY,
  });
}

/** A user row picked down to USER_ENTRY's fields. */
export function userEntry(u: { id: string; name: string; email: string; disabledAt: Date | null }) {
  return { id: u.id, name: u.name, email: u.email, disabledAt: u.disabledAt };
}
