import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { packageIdOf, type TPackageContext } from "@/lib/api/update-params";
import { packageChecklist } from "@/lib/server/updates/package-statements";

/** A manual update's checklist: the steps that apply, each ticked or not, and the next one. */
export const GET = apiRoute<TPackageContext>(async ({ actor, context }) => {
  authorize(actor, "package:read");
  const id = await packageIdOf(context);
  return NextResponse.json(await packageChecklist({ actor, id }), {
    headers: { "cache-control": "no-store" },
  });
});
