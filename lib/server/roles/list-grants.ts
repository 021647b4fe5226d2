import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import type { Prisma } from "../../generated/prisma/client";

const GRANT_INCLUDE = {
  user: { select: { id: true, name: true, email: true, disabledAt: true } },
  nominatedBy: { select: { id: true, name: true } },
  approvedBy: { select: { id: true, name: true } },
  revokedBy: { select: { id: true, name: true } },
  revokeRequestedBy: { select: { id: true, name: true } },
} as const;

type TGrantRow = Prisma.RoleGrantGetPayload<{ include: typeof GRANT_INCLUDE }>;

const who = (u: { id: string; name: string } | null) => (u ? { id: u.id, name: u.name } : null);

/**
 * A grant as the admin page shows it: the person (with e-mail), each step's who and
 * when, and an asked removal. `state` says which list of the page it is in.
 */
function grantEntry(g: TGrantRow) {
  return {
    id: g.id,
    role: g.role,
    state: g.revokedAt
      ? ("revoked" as const)
      : g.approvedAt
        ? ("live" as const)
        : ("pending" as const),
    user: g.user,
    note: g.note,
    nominatedBy: who(g.nominatedBy),
    nominatedVia: g.nominatedVia,
    nominatedAt: g.nominatedAt,
    approvedBy: who(g.approvedBy),
    approvedVia: g.approvedVia,
    approvedAt: g.approvedAt,
    revokedBy: who(g.revokedBy),
    revokedAt: g.revokedAt,
    revokeReason: g.revokeReason,
    revocationRequest: g.revokeRequestedAt
      ? {
          by: who(g.revokeRequestedBy),
          at: g.revokeRequestedAt,
          reason: g.revokeRequestReason ?? "",
        }
      : null,
  };
}

/** Every grant, as the admin page lists them (roles:manage): pending, live and revoked. */
export async function listGrants({ actor }: { actor: TActor }) {
  authorize(actor, "roles:manage");
  const grants = await db.roleGrant.findMany({
    orderBy: [{ role: "asc" }, { nominatedAt: "asc" }],
    include: GRANT_INCLUDE,
  });
  return grants.map(grantEntry);
}

export const ZGetGrant = z.object({ grantId: cleanId() });

/** One grant as listGrants shows it: what the API answers after each change to it. */
export async function getGrant({ actor, ...input }: { actor: TActor } & z.input<typeof ZGetGrant>) {
  authorize(actor, "roles:manage");
  const { grantId } = ZGetGrant.parse(input);
  const grant = await db.roleGrant.findUnique({ where: { id: grantId }, include: GRANT_INCLUDE });
  if (!grant) throw new AppError("NOT_FOUND", "No such grant.");
  return grantEntry(grant);
}
