import { apiRoute } from "@/lib/api/handler";
import { patchIdOf, queryOf, type TPatchContext } from "@/lib/api/route-params";
import { readJson } from "@/lib/api/json-body";
import { statementResponse } from "@/lib/api/statement-response";
import {
  issueStatement,
  ZIssueStatement,
  ZIssueStatementQuery,
} from "@/lib/server/statements/issue-statement";

/**
 * The statement the caller would sign now, with a fresh single-use nonce: the
 * body is exactly the bytes to sign (sign the body, not a re-typed copy).
 */
export const GET = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const q = ZIssueStatementQuery.parse(queryOf(request, ["kind", "verdict", "comment", "key"]));
  const input = ZIssueStatement.parse({
    patchId,
    kind: q.kind,
    verdict: q.verdict,
    comment: q.comment,
    keyFingerprint: q.key,
  });
  return statementResponse(await issueStatement({ actor, ...input }));
});

/**
 * The same statement from a JSON body, which can carry what a query string
 * cannot: a review's `lineComments: [{ file, line, text }]`.
 */
export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const body = (await readJson(request)) as Record<string, unknown>;
  const input = ZIssueStatement.parse({ ...body, patchId });
  return statementResponse(await issueStatement({ actor, ...input }));
});
