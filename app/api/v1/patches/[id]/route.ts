import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { getPatch } from "@/lib/server/patches/get-patch";

/** The patch: state, current revision and hash, every sign-off (superseded marked), the gates, the deployment. */
export const GET = apiRoute<TPatchContext>(async ({ actor, context }) => {
  return NextResponse.json(await getPatch({ actor, patchId: await patchIdOf(context) }));
});
