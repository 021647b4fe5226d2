import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { packageIdOf, type TPackageContext } from "@/lib/api/update-params";
import { getPackage } from "@/lib/server/updates/package-queries";

/** A package, its verdicts (oldest first) and its update record. */
export const GET = apiRoute<TPackageContext>(async ({ actor, context }) => {
  authorize(actor, "package:read");
  return NextResponse.json(await getPackage({ actor, id: await packageIdOf(context) }));
});
