import "server-only";
import { db } from "../db";
import type { TRole } from "../domain/roles";
import type { TPersonActor } from "./actor";

/**
 * The actor for a user id, or null when the account is gone, disabled, or the
 * session predates its last security change (sessionVersion).
 */
export async function loadActor(
  userId: string,
  sessionVersion?: number,
): Promise<TPersonActor | null> {
  const now = new Date();
  const user = await db.user.findUnique({
    where: { id: userId },
    include: {
      grants: {
        where: { approvedAt: { not: null, lte: now }, revokedAt: null },
        select: { role: true },
      },
    },
  });
  if (!user || user.disabledAt) return null;
  if (sessionVersion !== undefined && sessionVersion !== user.sessionVersion) return null;
  return {
    kind: "person",
    id: user.id,
    email: user.email,
    name: user.name,
    label: user.email,
    roles: [...new Set(user.grants.map((g) => g.role as TRole))],
    mustChangePassword: user.mustChangePassword,
  };
}
