import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { queryOf } from "@/lib/api/route-params";
import { listOutboxEntries, ZOutboxFilter } from "@/lib/server/outbox/outbox-entries";

/** The outbox page's rows (outbox:manage), `?state=FAILED` for one state. */
export const GET = apiRoute(async ({ actor, request }) => {
  const filter = ZOutboxFilter.parse(queryOf(request, ["state"]));
  return NextResponse.json(await listOutboxEntries({ actor, ...filter }));
});
