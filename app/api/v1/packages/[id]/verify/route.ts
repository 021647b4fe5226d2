import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { packageIdOf, type TPackageContext } from "@/lib/api/update-params";
import { reverifyPackage } from "@/lib/server/updates/reverify-package";

/** U2: verifies the kept package again with the installation's trust as it is now: a new verdict. */
export const POST = apiRoute<TPackageContext>(async ({ actor, context }) => {
  authorize(actor, "package:manage");
  return NextResponse.json(await reverifyPackage({ actor, id: await packageIdOf(context) }));
});
