import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { grantIdOf, type TGrantContext, ZRevokeBody } from "@/lib/api/admin-params";
import { requestRoleRevocation } from "@/lib/server/roles/request-role-revocation";
import { cancelRoleRevocation } from "@/lib/server/roles/cancel-role-revocation";
import { getGrant } from "@/lib/server/roles/list-grants";

/** The first of two admins asks to remove an admin or critical-admin grant `{ reason }`. */
export const POST = apiRoute<TGrantContext>(async ({ actor, request, context }) => {
  const grantId = await grantIdOf(context);
  const { reason } = ZRevokeBody.parse(await readJson(request));
  await requestRoleRevocation({ actor, grantId, reason });
  return NextResponse.json(await getGrant({ actor, grantId }));
});

/** Any admin withdraws an asked removal not yet confirmed. */
export const DELETE = apiRoute<TGrantContext>(async ({ actor, context }) => {
  const grantId = await grantIdOf(context);
  await cancelRoleRevocation({ actor, grantId });
  return NextResponse.json(await getGrant({ actor, grantId }));
});
