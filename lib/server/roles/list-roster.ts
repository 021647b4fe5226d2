import "server-only";
import { db } from "../../db";

/**
 * Every grant with who nominated, approved and revoked it and when: the
 * portal's list of approved assessors, testers, admins, ... (P2). The public
 * roster shows names only; the admin page also shows e-mail addresses.
 */
export async function listRoster() {
  return db.roleGrant.findMany({
    orderBy: [{ role: "asc" }, { nominatedAt: "asc" }],
    include: {
      user: { select: { id: true, name: true, email: true, disabledAt: true } },
      nominatedBy: { select: { name: true } },
      approvedBy: { select: { name: true } },
      revokedBy: { select: { name: true } },
      revokeRequestedBy: { select: { name: true } },
    },
  });
}
