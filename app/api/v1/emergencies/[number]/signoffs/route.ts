import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { emergencyNumberOf, type TEmergencyContext } from "@/lib/api/route-params";
import { attachmentJsonBytes, ZEmergencySignoffBody } from "@/lib/api/emergency-requests";
import { emergencySignoffAnswer } from "@/lib/api/emergency-answers";
import { parseStatement } from "@/lib/domain/statements";
import { emergencyIdOf, emergencyStatementPermission } from "@/lib/server/emergencies/by-number";
import { recordEmergencyStatement } from "@/lib/server/emergencies/record-emergency-statement";

/**
 * A signed emergency statement for the emergency in the URL: a standby
 * acknowledgement, a ladder move (with the attachments it names) or a ruling.
 */
export const POST = apiRoute<TEmergencyContext>(async ({ actor, request, context }) => {
  const number = await emergencyNumberOf(context);
  const input = ZEmergencySignoffBody.parse(await readJson(request, attachmentJsonBytes()));
  const permission = emergencyStatementPermission(parseStatement(input.statement)?.kind);
  const emergencyId = await emergencyIdOf({ actor, number, permission });
  const recorded = await recordEmergencyStatement({ actor, emergencyId, ...input });
  return NextResponse.json(emergencySignoffAnswer(recorded), { status: 201 });
});
