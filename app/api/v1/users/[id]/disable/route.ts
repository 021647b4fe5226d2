import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { type TUserContext, userIdOf, ZDisableUserBody } from "@/lib/api/admin-params";
import { setUserDisabled } from "@/lib/server/users/set-user-disabled";

/** Disables an account `{ reason? }`: its sessions and tokens end; never one's own, nor the last admin. */
export const POST = apiRoute<TUserContext>(async ({ actor, request, context }) => {
  const userId = await userIdOf(context);
  const { reason } = ZDisableUserBody.parse(await readJson(request));
  return NextResponse.json(await setUserDisabled({ actor, userId, disabled: true, reason }));
});
