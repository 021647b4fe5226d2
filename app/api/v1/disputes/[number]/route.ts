import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { disputeNumberOf, type TDisputeContext } from "@/lib/api/route-params";
import { disputeAnswer } from "@/lib/api/emergency-answers";
import { requireDispute } from "@/lib/server/emergencies/by-number";

/** A dispute: why it was filed, its emergency, the ruling, whether the caller may rule. */
export const GET = apiRoute<TDisputeContext>(async ({ actor, context }) =>
  NextResponse.json(
    disputeAnswer(await requireDispute({ actor, number: await disputeNumberOf(context) })),
  ),
);
