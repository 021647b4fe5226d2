import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { stepOf, type TStepContext } from "@/lib/api/route-params";
import {
  issueStepStatement,
  ZIssueStepStatement,
} from "@/lib/server/deployments/issue-step-statement";

// The body carries the evidence (and optionally the key); the patch and the step are in the URL.
const ZBody = ZIssueStepStatement.pick({ evidence: true, keyFingerprint: true });

/**
 * The `step` statement to sign to tick step n with this evidence (X1), with a
 * fresh single-use nonce; record it with POST /api/v1/patches/:id/signoffs.
 */
export const POST = apiRoute<TStepContext>(async ({ actor, request, context }) => {
  const { id, n } = await stepOf(context);
  const body = ZBody.parse(await readJson(request));
  const issued = await issueStepStatement({ actor, patchId: id, number: n, ...body });
  return NextResponse.json(issued, { headers: { "cache-control": "no-store" } });
});
