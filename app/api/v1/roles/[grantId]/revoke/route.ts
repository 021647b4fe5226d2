import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { grantIdOf, type TGrantContext, ZRevokeBody } from "@/lib/api/admin-params";
import { revokeRole } from "@/lib/server/roles/revoke-role";
import { getGrant } from "@/lib/server/roles/list-grants";

/**
 * Revokes a grant or withdraws a nomination `{ reason }`. An approved admin or
 * critical-admin grant needs two admins: POST .../revocation, then .../revocation/confirm.
 */
export const POST = apiRoute<TGrantContext>(async ({ actor, request, context }) => {
  const grantId = await grantIdOf(context);
  const { reason } = ZRevokeBody.parse(await readJson(request));
  await revokeRole({ actor, grantId, reason });
  return NextResponse.json(await getGrant({ actor, grantId }));
});
