import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { disputeNumberOf, type TDisputeContext } from "@/lib/api/route-params";
import { statementResponse } from "@/lib/api/statement-response";
import { ZRulingStatementBody } from "@/lib/api/emergency-requests";
import { disputeOf } from "@/lib/server/emergencies/by-number";
import { issueEmergencyStatement } from "@/lib/server/emergencies/issue-emergency-statement";

/** E7: the ruling to sign on this dispute; the comment is the reasoning. */
export const POST = apiRoute<TDisputeContext>(async ({ actor, request, context }) => {
  const number = await disputeNumberOf(context);
  const input = ZRulingStatementBody.parse(await readJson(request));
  const d = await disputeOf({ actor, number, permission: "dispute:rule" });
  return statementResponse(
    await issueEmergencyStatement({
      actor,
      emergencyId: d.emergencyId,
      kind: "ruling",
      disputeId: d.id,
      ...input,
    }),
  );
});
