import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { emergencyNumberOf, type TEmergencyContext } from "@/lib/api/route-params";
import { ZResponderBody } from "@/lib/api/emergency-requests";
import { emergencyAnswer } from "@/lib/api/emergency-answers";
import { emergencyIdOf, requireEmergency } from "@/lib/server/emergencies/by-number";
import { nameResponder } from "@/lib/server/emergencies/name-responder";

/** E2: name a team's responder and how to reach them (again, until they acknowledge). */
export const POST = apiRoute<TEmergencyContext>(async ({ actor, request, context }) => {
  const number = await emergencyNumberOf(context);
  const emergencyId = await emergencyIdOf({ actor, number, permission: "emergency:respond" });
  const input = ZResponderBody.parse(await readJson(request));
  await nameResponder({ actor, emergencyId, ...input });
  const e = await requireEmergency({ actor, number });
  const named = emergencyAnswer(e, actor, []).responders.find((r) => r.team === input.team)!;
  return NextResponse.json(named, { status: 201 });
});
