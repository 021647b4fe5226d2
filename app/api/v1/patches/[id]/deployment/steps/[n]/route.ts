import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { stepOf, type TStepContext } from "@/lib/api/route-params";
import { tickStep } from "@/lib/server/deployments/tick-step";

const ZTickBody = z.object({ evidence: z.record(z.string(), z.unknown()).default({}) });

/** Ticks step n of the open deployment with its evidence; the use-case checks order and the evidence's shape. */
export const POST = apiRoute<TStepContext>(async ({ actor, request, context }) => {
  const { id, n } = await stepOf(context);
  const { evidence } = ZTickBody.parse(await readJson(request));
  return NextResponse.json(await tickStep({ actor, patchId: id, number: n, evidence }));
});
