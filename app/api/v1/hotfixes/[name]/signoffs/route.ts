import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { hotfixNameOf, type THotfixContext } from "@/lib/api/route-params";
import { ZSignedStatement } from "@/lib/server/patches/record-signoff";
import { recordHotfixSignoff } from "@/lib/server/hotfixes/hotfix-statements";

/** A signed hotfix-release or hotfix-verify: `{ statement, signature }`; answers the hotfix. */
export const POST = apiRoute<THotfixContext>(async ({ actor, request, context }) => {
  const name = await hotfixNameOf(context);
  const body = ZSignedStatement.parse(await readJson(request));
  return NextResponse.json(await recordHotfixSignoff({ actor, name, ...body }), { status: 201 });
});
