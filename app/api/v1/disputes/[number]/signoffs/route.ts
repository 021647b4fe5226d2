import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { disputeNumberOf, type TDisputeContext } from "@/lib/api/route-params";
import { ZSignedStatement } from "@/lib/api/emergency-requests";
import { rulingAnswerOf } from "@/lib/api/emergency-answers";
import { disputeOf, requireDispute } from "@/lib/server/emergencies/by-number";
import { recordRuling } from "@/lib/server/emergencies/record-ruling";

/** E7: the arbitrator's signed ruling on the dispute in the URL. */
export const POST = apiRoute<TDisputeContext>(async ({ actor, request, context }) => {
  const number = await disputeNumberOf(context);
  const input = ZSignedStatement.parse(await readJson(request));
  const d = await disputeOf({ actor, number, permission: "dispute:rule" });
  await recordRuling({ actor, disputeId: d.id, ...input });
  return NextResponse.json(rulingAnswerOf(await requireDispute({ actor, number })), {
    status: 201,
  });
});
