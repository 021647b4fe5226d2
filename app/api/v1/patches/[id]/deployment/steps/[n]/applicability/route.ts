import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { stepOf, type TStepContext } from "@/lib/api/route-params";
import { decideStep, ZDecideStep } from "@/lib/server/deployments/decide-step";

// The body carries the decision; the patch and the step are in the URL.
const ZDecision = ZDecideStep.pick({ applicable: true, reason: true });

/** P6: whether step n (3–7) applies on this signing-server visit, with the reason. */
export const POST = apiRoute<TStepContext>(async ({ actor, request, context }) => {
  const { id, n } = await stepOf(context);
  const { applicable, reason } = ZDecision.parse(await readJson(request));
  await decideStep({ actor, patchId: id, number: n, applicable, reason });
  return NextResponse.json({ number: n, applicable, reason: reason.trim() });
});
