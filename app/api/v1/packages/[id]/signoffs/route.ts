import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { ZSignedStatement } from "@/lib/server/patches/record-signoff";
import { recordPackageSignoff } from "@/lib/server/updates/package-statements";

/** A signed package-apply or package-step: `{ statement, signature }`; answers the update record. */
export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const id = await patchIdOf(context);
  const body = ZSignedStatement.parse(await readJson(request));
  return NextResponse.json(await recordPackageSignoff({ actor, id, ...body }), { status: 201 });
});
