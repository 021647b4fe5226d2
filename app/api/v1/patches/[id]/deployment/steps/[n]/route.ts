import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { stepOf, type TStepContext } from "@/lib/api/route-params";
import { tickStep, ZTickStep } from "@/lib/server/deployments/tick-step";

// The body carries the evidence; the patch and the step are in the URL.
const ZTickBody = ZTickStep.pick({ evidence: true });

/** Ticks step n of the open deployment with its evidence; the use-case checks order and the evidence's shape. */
export const POST = apiRoute<TStepContext>(async ({ actor, request, context }) => {
  const { id, n } = await stepOf(context);
  const { evidence } = ZTickBody.parse(await readJson(request));
  return NextResponse.json(await tickStep({ actor, patchId: id, number: n, evidence }));
});
