import { apiRoute } from "@/lib/api/handler";
import { hotfixNameOf, queryOf, type THotfixContext } from "@/lib/api/route-params";
import { statementResponse } from "@/lib/api/statement-response";
import {
  issueHotfixStatement,
  ZHotfixStatementQuery,
} from "@/lib/server/hotfixes/hotfix-statements";

/**
 * `?kind=hotfix-release`, or `?kind=hotfix-verify&server=<slug>` with `&direct=1`
 * (a front end connected to directly) and `&maxProcessesZero=1` (Maximum
 * Processes 0 on every unpatched back end): both are written into the text.
 */
export const GET = apiRoute<THotfixContext>(async ({ actor, request, context }) => {
  const name = await hotfixNameOf(context);
  const { key, ...query } = ZHotfixStatementQuery.parse(
    queryOf(request, Object.keys(ZHotfixStatementQuery.shape)),
  );
  return statementResponse(
    await issueHotfixStatement({ actor, name, ...query, keyFingerprint: key }),
  );
});
