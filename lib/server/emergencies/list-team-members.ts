import "server-only";
import { db } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { TEAM_ROLE, TEAMS, type TTeam } from "../../domain/emergency-ladder";

/** Who can be named for each team (approved holders of the team's role), and who may get remote access. */
export async function listTeamMembers({ actor }: { actor: TActor }) {
  requirePerson(actor);
  const grants = await db.roleGrant.findMany({
    where: { approvedAt: { not: null }, revokedAt: null, user: { disabledAt: null } },
    select: { role: true, user: { select: { id: true, name: true } } },
    orderBy: { user: { name: "asc" } },
  });
  const byTeam = Object.fromEntries(
    TEAMS.map((t) => [t, grants.filter((g) => g.role === TEAM_ROLE[t]).map((g) => g.user)]),
  ) as Record<TTeam, { id: string; name: string }[]>;
  const grantees = grants
    .filter((g) => g.role === "ASSESSOR" || g.role === "DEVELOPER")
    .map((g) => g.user);
  return { byTeam, grantees: [...new Map(grantees.map((u) => [u.id, u])).values()] };
}
