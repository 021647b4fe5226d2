import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { recordPackageSignoff } from "@/lib/server/updates/package-statements";

/** A signed package-apply or package-step: `{ statement, signature }`; answers the update record. */
export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const id = await patchIdOf(context);
  // Parsed by the use-case, after it has authorized the caller.
  const body = (await readJson(request)) as Record<string, unknown>;
  return NextResponse.json(await recordPackageSignoff({ actor, ...body, id }), { status: 201 });
});
