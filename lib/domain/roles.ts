// Roles as the database stores them, and as people read and type them.
export const ROLES = [
  "DEVELOPER",
  "ASSESSOR",
  "TESTER",
  "CRITICAL_ADMIN",
  "ACCESS_ENGINEER",
  "ARBITRATOR",
  "ADMIN",
] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_LABEL: Record<TRole, string> = {
  DEVELOPER: "developer",
  ASSESSOR: "assessor",
  TESTER: "tester",
  CRITICAL_ADMIN: "critical-admin",
  ACCESS_ENGINEER: "access-engineer",
  ARBITRATOR: "arbitrator",
  ADMIN: "admin",
};

/** "critical-admin" | "CRITICAL_ADMIN" -> "CRITICAL_ADMIN"; undefined if unknown. */
export function parseRole(text: string): TRole | undefined {
  const normal = text.trim().toUpperCase().replace(/-/g, "_");
  return (ROLES as readonly string[]).includes(normal) ? (normal as TRole) : undefined;
}

/**
 * Roles whose removal needs a second admin (as granting does), and of which
 * the last holder cannot be removed: without an admin nobody manages roles,
 * without a critical admin nothing is deployed.
 */
export const GUARDED_ROLES: readonly TRole[] = ["ADMIN", "CRITICAL_ADMIN"];

export function isGuardedRole(role: TRole): boolean {
  return GUARDED_ROLES.includes(role);
}

/** A grant counts when it was approved and not revoked. */
export function isGrantActive(grant: { approvedAt: Date | null; revokedAt: Date | null }): boolean {
  return grant.approvedAt !== null && grant.revokedAt === null;
}

/** The roles an account held at `at`: grants approved by then and not yet revoked (issue #11). */
export function rolesHeldAt(
  grants: readonly { role: TRole; approvedAt: Date | null; revokedAt: Date | null }[],
  at: Date,
): TRole[] {
  const held = grants.filter(
    (g) =>
      g.approvedAt !== null && g.approvedAt <= at && (g.revokedAt === null || g.revokedAt > at),
  );
  return ROLES.filter((role) => held.some((g) => g.role === role));
}
