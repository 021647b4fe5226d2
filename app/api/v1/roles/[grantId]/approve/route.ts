import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { grantIdOf, type TGrantContext } from "@/lib/api/admin-params";
import { approveRole } from "@/lib/server/roles/approve-role";
import { getGrant } from "@/lib/server/roles/list-grants";

/** Approves a nomination: neither the nominee nor the nominating admin may. */
export const POST = apiRoute<TGrantContext>(async ({ actor, context }) => {
  const grantId = await grantIdOf(context);
  await approveRole({ actor, grantId });
  return NextResponse.json(await getGrant({ actor, grantId }));
});
