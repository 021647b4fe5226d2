import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { emergencyNumberOf, type TEmergencyContext } from "@/lib/api/route-params";
import { statementResponse } from "@/lib/api/statement-response";
import { attachmentJsonBytes, ZEmergencyStatementBody } from "@/lib/api/emergency-requests";
import { emergencyIdOf, emergencyStatementPermission } from "@/lib/server/emergencies/by-number";
import { issueEmergencyStatement } from "@/lib/server/emergencies/issue-emergency-statement";

/**
 * The statement the caller would sign now for one emergency step, with a fresh
 * single-use nonce: the body is exactly the bytes to sign. Attachments (diff,
 * log) travel as JSON strings; their SHA-256 is in the statement.
 */
export const POST = apiRoute<TEmergencyContext>(async ({ actor, request, context }) => {
  const number = await emergencyNumberOf(context);
  const input = ZEmergencyStatementBody.parse(await readJson(request, attachmentJsonBytes()));
  const permission = emergencyStatementPermission(input.kind);
  const emergencyId = await emergencyIdOf({ actor, number, permission });
  return statementResponse(await issueEmergencyStatement({ actor, emergencyId, ...input }));
});
