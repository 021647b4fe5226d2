import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { disputeSummaryAnswer } from "@/lib/api/emergency-answers";
import { listDisputes } from "@/lib/server/emergencies/list-disputes";

/** E7: the disputes, open ones first. */
export const GET = apiRoute(async ({ actor }) =>
  NextResponse.json((await listDisputes({ actor })).map(disputeSummaryAnswer)),
);
