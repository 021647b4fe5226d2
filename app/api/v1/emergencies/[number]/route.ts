import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { emergencyNumberOf, type TEmergencyContext } from "@/lib/api/route-params";
import { emergencyAnswer } from "@/lib/api/emergency-answers";
import { requireEmergency } from "@/lib/server/emergencies/by-number";
import { listTeamMembers } from "@/lib/server/emergencies/list-team-members";

/** The emergency: clock, responders, moves in order, sessions, disputes, the caller's next steps. */
export const GET = apiRoute<TEmergencyContext>(async ({ actor, context }) => {
  const e = await requireEmergency({ actor, number: await emergencyNumberOf(context) });
  const { grantees } = await listTeamMembers({ actor });
  return NextResponse.json(emergencyAnswer(e, actor, grantees));
});
