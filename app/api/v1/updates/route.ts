import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { queryOf } from "@/lib/api/route-params";
import { bodyFields } from "@/lib/api/update-params";
import { createUpdate } from "@/lib/server/release-updates/create-update";
import { listUpdates } from "@/lib/server/release-updates/update-facts";

/** The release-update records, newest first (`?state=DRAFT|SUBMITTED|APPROVED|REJECTED`), with their tags. */
export const GET = apiRoute(async ({ actor, request }) => {
  authorize(actor, "update:read");
  const q = queryOf(request, ["state"]);
  return NextResponse.json(await listUpdates({ actor, state: q.state }));
});

/** A new record from a template: `{ template, system, title, packages, version, series, bugId }`. */
export const POST = apiRoute(async ({ actor, request }) => {
  authorize(actor, "update:submit");
  const body = bodyFields(await readJson(request));
  return NextResponse.json(await createUpdate({ ...body, actor }), { status: 201 });
});
