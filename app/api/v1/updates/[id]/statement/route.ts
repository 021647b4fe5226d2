import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { queryOf } from "@/lib/api/route-params";
import { statementResponse } from "@/lib/api/statement-response";
import { bodyFields } from "@/lib/api/update-params";
import { updateIdOf, withDetails, type TUpdateContext } from "@/lib/api/release-update-params";
import {
  issueUpdateStatement,
  ZUpdateStatementQuery,
} from "@/lib/server/release-updates/update-statements";

/**
 * `?kind=update-submit|update-review|update-major-ack|update-verify` with
 * `verdict=`, `series=`, `change=`, `versions=<JSON object>`, `comment=` as the
 * kind needs; `&key=` picks the signing key. The body is exactly the bytes to
 * sign; record it with POST .../signoffs (or .../submit).
 */
export const GET = apiRoute<TUpdateContext>(async ({ actor, request, context }) => {
  authorize(actor, "update:read");
  const id = await updateIdOf(context);
  const { key, ...ask } = ZUpdateStatementQuery.parse(
    queryOf(request, Object.keys(ZUpdateStatementQuery.shape)),
  );
  return withDetails(async () =>
    statementResponse(await issueUpdateStatement({ actor, id, ...ask, keyFingerprint: key })),
  );
});

/** The same statement from a JSON body `{ kind, verdict?, series?, change?, versions?, comment?, keyFingerprint? }`. */
export const POST = apiRoute<TUpdateContext>(async ({ actor, request, context }) => {
  authorize(actor, "update:read");
  const id = await updateIdOf(context);
  const body = bodyFields(await readJson(request));
  return withDetails(async () =>
    statementResponse(await issueUpdateStatement({ ...body, id, actor })),
  );
});
