import "server-only";
import type { Tx } from "../../db";
import { GUARDED_ROLES, ROLE_LABEL, type TRole } from "../../domain/roles";
import { AppError } from "../../errors";

// Serialises every change that can take away an admin or critical-admin:
// without it, two removals at once each see the other's admin still there and
// leave none (READ COMMITTED counts what was committed before each statement).
const GUARDED_ROLES_LOCK = 0x6164_6d6e; // "admn"

export async function lockGuardedRoles(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GUARDED_ROLES_LOCK})`;
}

/** The grant a removal is about, with its holder, loaded under the guarded-roles lock. */
export async function lockedGrant(tx: Tx, grantId: string) {
  await lockGuardedRoles(tx);
  const grant = await tx.roleGrant.findUnique({
    where: { id: grantId },
    include: { user: { select: { id: true, name: true } } },
  });
  if (!grant) throw new AppError("NOT_FOUND", "No such grant.");
  return grant;
}

/**
 * Refuses to take `roles` away from a user when nobody else (enabled, with a
 * live approved grant) holds one of them. Call after lockGuardedRoles.
 */
export async function assertNotLastHolder(
  tx: Tx,
  user: { id: string; name: string },
  roles: readonly TRole[],
): Promise<void> {
  const now = new Date();
  for (const role of roles.filter((r) => GUARDED_ROLES.includes(r))) {
    const others = await tx.roleGrant.count({
      where: {
        role,
        approvedAt: { not: null, lte: now },
        revokedAt: null,
        userId: { not: user.id },
        user: { disabledAt: null },
      },
    });
    if (others === 0)
      throw new AppError(
        "CONFLICT",
        `${user.name} is the last ${ROLE_LABEL[role]}: nominate and approve another ${ROLE_LABEL[role]} first.`,
      );
  }
}
