import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { grantIdOf, type TGrantContext } from "@/lib/api/admin-params";
import { confirmRoleRevocation } from "@/lib/server/roles/confirm-role-revocation";
import { getGrant } from "@/lib/server/roles/list-grants";

/** A second admin (not the one who asked) confirms the removal: the grant is revoked. */
export const POST = apiRoute<TGrantContext>(async ({ actor, context }) => {
  const grantId = await grantIdOf(context);
  await confirmRoleRevocation({ actor, grantId });
  return NextResponse.json(await getGrant({ actor, grantId }));
});
