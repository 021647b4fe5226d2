import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { stepOf, type TStepContext } from "@/lib/api/route-params";
import {
  issueStepStatement,
  ZIssueStepStatementBody,
} from "@/lib/server/deployments/issue-step-statement";

/**
 * The `step` statement to sign to tick step n with this evidence (X1), with a
 * fresh single-use nonce; record it with POST /api/v1/patches/:id/signoffs.
 */
export const POST = apiRoute<TStepContext>(async ({ actor, request, context }) => {
  const { id, n } = await stepOf(context);
  const body = ZIssueStepStatementBody.parse(await readJson(request));
  const issued = await issueStepStatement({ actor, patchId: id, number: n, ...body });
  return NextResponse.json(issued, { headers: { "cache-control": "no-store" } });
});
