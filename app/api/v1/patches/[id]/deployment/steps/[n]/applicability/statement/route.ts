import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { stepOf, type TStepContext } from "@/lib/api/route-params";
import {
  issueDecisionStatement,
  ZIssueDecisionStatementBody,
} from "@/lib/server/deployments/issue-step-statement";

/**
 * P6: the `step` statement to sign to decide whether step n (3–7) applies on
 * this signing-server visit, with the reason; record it with POST .../signoffs.
 */
export const POST = apiRoute<TStepContext>(async ({ actor, request, context }) => {
  const { id, n } = await stepOf(context);
  const body = ZIssueDecisionStatementBody.parse(await readJson(request));
  const issued = await issueDecisionStatement({ actor, patchId: id, number: n, ...body });
  return NextResponse.json(issued, { headers: { "cache-control": "no-store" } });
});
