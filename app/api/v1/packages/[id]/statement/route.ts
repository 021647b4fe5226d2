import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { queryOf } from "@/lib/api/route-params";
import { packageIdOf, type TPackageContext } from "@/lib/api/update-params";
import { statementResponse } from "@/lib/api/statement-response";
import {
  issuePackageStatement,
  ZPackageStatementQuery,
} from "@/lib/server/updates/package-statements";

/**
 * `?kind=package-apply` (a semi-automatic installation's apply), or
 * `?kind=package-step&step=N&evidence=<JSON object>` (a manual checklist
 * step); `&key=` picks the signing key. The body is exactly the bytes to sign;
 * record it with POST /api/v1/packages/:id/signoffs.
 */
export const GET = apiRoute<TPackageContext>(async ({ actor, request, context }) => {
  authorize(actor, "package:apply");
  const id = await packageIdOf(context);
  const q = queryOf(request, ZPackageStatementQuery.keyof().options);
  return statementResponse(
    await issuePackageStatement({
      actor,
      id,
      kind: q.kind,
      step: q.step,
      evidence: q.evidence,
      comment: q.comment,
      keyFingerprint: q.key,
    }),
  );
});

/** The same statement from a JSON body `{ kind, step?, evidence?, comment?, keyFingerprint? }`. */
export const POST = apiRoute<TPackageContext>(async ({ actor, request, context }) => {
  // Refused before the path or body is read; the use-case authorizes again and parses.
  authorize(actor, "package:apply");
  const id = await packageIdOf(context);
  const body = (await readJson(request)) as Record<string, unknown>;
  return statementResponse(await issuePackageStatement({ ...body, id, actor }));
});
