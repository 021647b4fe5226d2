import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getProfile } from "@/lib/server/users/get-profile";
import { ROLE_LABEL } from "@/lib/domain/roles";
import { permissionsOf } from "@/lib/domain/permissions";

/** Who the token belongs to: roles, permissions and registered key fingerprints. */
export const GET = apiRoute(async ({ actor }) => {
  const { keys: all } = await getProfile({ actor });
  const keys = all
    .filter((k) => !k.removedAt)
    .map((k) => ({ fingerprint: k.fingerprint, algorithm: k.algorithm, revokedAt: k.revokedAt }));
  return NextResponse.json({
    id: actor.id,
    email: actor.email,
    name: actor.name,
    roles: actor.roles.map((r) => ROLE_LABEL[r]),
    permissions: permissionsOf(actor.roles),
    keys,
  });
});
