import { z } from "zod";
import { cleanId } from "../domain/input-hygiene";
import { ZCreateUser } from "../server/users/create-user";
import { ZSetUserDisabled } from "../server/users/set-user-disabled";
import { ZRevokeRole } from "../server/roles/revoke-role";

// The admin routes' path segments and bodies (/api/v1/users/**, roles/**, outbox/**):
// parsed here, described in openapi-admin.ts from the same schemas.

/**
 * POST /users: what the roles page asks. Strict, so a `roles` or `password` field is
 * refused rather than ignored: roles come by nomination and approval, the password
 * from the person through the mailed link.
 */
export const ZCreateUserBody = ZCreateUser.pick({ email: true, name: true }).strict();

export const ZDisableUserBody = ZSetUserDisabled.pick({ reason: true });

export const ZUserParams = z.object({ id: cleanId().meta({ description: "The user's id." }) });
export type TUserContext = { params: Promise<{ id: string }> };

export async function userIdOf(context: TUserContext): Promise<string> {
  return ZUserParams.parse(await context.params).id;
}

export const ZGrantParams = z.object({
  grantId: cleanId().meta({ description: "The grant's (or nomination's) id." }),
});
export type TGrantContext = { params: Promise<{ grantId: string }> };

export async function grantIdOf(context: TGrantContext): Promise<string> {
  return ZGrantParams.parse(await context.params).grantId;
}

/** Revoking, and asking for an admin's removal: the reason is the audit log's. */
export const ZRevokeBody = ZRevokeRole.pick({ reason: true });

export const ZOutboxParams = z.object({
  id: cleanId().meta({ description: "The outbox row's id." }),
});
export type TOutboxContext = { params: Promise<{ id: string }> };

export async function outboxIdOf(context: TOutboxContext): Promise<string> {
  return ZOutboxParams.parse(await context.params).id;
}
