import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { systemSlugOf, type TSystemContext } from "@/lib/api/route-params";
import { setSystemPolicy, ZSetPolicy } from "@/lib/server/systems/set-policy";

/** An admin changes the system's policy `{ reviewsRequired, testsRequired, reason }`; audited. */
export const PATCH = apiRoute<TSystemContext>(async ({ actor, request, context }) => {
  const slug = await systemSlugOf(context);
  const body = ZSetPolicy.omit({ slug: true }).parse(await readJson(request));
  return NextResponse.json(await setSystemPolicy({ actor, slug, ...body }));
});
