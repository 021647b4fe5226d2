import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { ZDeclareEmergency } from "@/lib/api/emergency-requests";
import { emergencyAnswer, emergencySummaryAnswer } from "@/lib/api/emergency-answers";
import { declareEmergency } from "@/lib/server/emergencies/declare-emergency";
import { listEmergencies } from "@/lib/server/emergencies/list-emergencies";
import { requireEmergency } from "@/lib/server/emergencies/by-number";
import { listTeamMembers } from "@/lib/server/emergencies/list-team-members";

/** The emergencies, newest first. */
export const GET = apiRoute(async ({ actor }) =>
  NextResponse.json((await listEmergencies({ actor })).map(emergencySummaryAnswer)),
);

/** E1: declare an emergency; the 24-hour clock starts now and every team is told. */
export const POST = apiRoute(async ({ actor, request }) => {
  const input = ZDeclareEmergency.parse(await readJson(request));
  const { number } = await declareEmergency({ actor, ...input });
  const e = await requireEmergency({ actor, number });
  const { grantees } = await listTeamMembers({ actor });
  return NextResponse.json(emergencyAnswer(e, actor, grantees), { status: 201 });
});
