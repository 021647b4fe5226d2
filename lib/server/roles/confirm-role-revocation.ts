import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { assertNotLastHolder, lockedGrant } from "./last-holder";
import { revokeGrant } from "./revoke-role";

export const ZConfirmRoleRevocation = z.object({ grantId: z.string().min(1) });

/**
 * A second admin confirms an asked removal: the grant is revoked with the
 * first admin's reason. Under the guarded-roles lock, so two confirmations at
 * once never leave nobody holding the role.
 */
export async function confirmRoleRevocation({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZConfirmRoleRevocation>) {
  authorize(actor, "roles:manage");
  const person = requirePerson(actor);
  const { grantId } = ZConfirmRoleRevocation.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const grant = await lockedGrant(tx, grantId);
    if (grant.revokedAt) throw new AppError("CONFLICT", "This grant was already revoked.");
    if (!grant.revokeRequestedAt || !grant.revokeRequestedById)
      throw new AppError("CONFLICT", "Nobody asked to remove this grant.");
    // Four eyes: the admin who asked is not the one who confirms.
    if (grant.revokeRequestedById === person.id)
      throw new AppError("FORBIDDEN", "Another admin confirms the removals you asked for.");
    await assertNotLastHolder(tx, grant.user, [grant.role]);
    await revokeGrant(
      tx,
      person,
      grant,
      grant.revokeRequestReason ?? "",
      grant.revokeRequestedById,
    );
  });
}
