import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { type TUserContext, userIdOf } from "@/lib/api/admin-params";
import { setUserDisabled } from "@/lib/server/users/set-user-disabled";

/** Enables a disabled account again; its old sessions and tokens stay ended. */
export const POST = apiRoute<TUserContext>(async ({ actor, context }) => {
  const userId = await userIdOf(context);
  return NextResponse.json(await setUserDisabled({ actor, userId, disabled: false }));
});
