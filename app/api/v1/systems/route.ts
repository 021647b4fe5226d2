import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listSystems } from "@/lib/server/systems/list-systems";

/** The target systems with their policy, by slug: readable by every signed-in person. */
export const GET = apiRoute(async ({ actor }) => NextResponse.json(await listSystems({ actor })));
