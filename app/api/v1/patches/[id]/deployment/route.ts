import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { deploymentOpened } from "@/lib/api/deployment-answers";
import { openDeployment } from "@/lib/server/deployments/open-deployment";

/** A critical admin takes a requested patch and opens its deployment record (P4). */
export const POST = apiRoute<TPatchContext>(async ({ actor, context }) => {
  const record = await openDeployment({ actor, patchId: await patchIdOf(context) });
  return NextResponse.json(deploymentOpened(record), { status: 201 });
});
