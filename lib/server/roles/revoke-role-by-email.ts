import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { ROLES, ROLE_LABEL } from "../../domain/roles";
import { AppError } from "../../errors";
import { revokeRole } from "./revoke-role";

export const ZRevokeRoleByEmail = z.object({
  email: z.string().trim().toLowerCase().email(),
  role: z.enum(ROLES),
  reason: z.string().trim().min(1, "Give a reason").max(500),
});

/** The operator's CLI: revokes a person's live grant of a role, named by e-mail. */
export async function revokeRoleByEmail({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRevokeRoleByEmail>) {
  authorize(actor, "roles:manage");
  const { email, role, reason } = ZRevokeRoleByEmail.parse(input);
  const grant = await db.roleGrant.findFirst({
    where: { role, revokedAt: null, user: { email } },
    select: { id: true },
  });
  if (!grant) throw new AppError("NOT_FOUND", `${email} holds no ${ROLE_LABEL[role]} grant.`);
  await revokeRole({ actor, grantId: grant.id, reason });
}
