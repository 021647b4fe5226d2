import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { hotfixNameOf, type THotfixContext } from "@/lib/api/route-params";
import { getHotfix } from "@/lib/server/hotfixes/list-hotfixes";
import { deleteHotfix } from "@/lib/server/hotfixes/delete-hotfix";

export const GET = apiRoute<THotfixContext>(async ({ actor, context }) =>
  NextResponse.json(await getHotfix({ actor, name: await hotfixNameOf(context) })),
);

/** H5: 204 when applied nowhere; 409 naming every server it is still applied to. */
export const DELETE = apiRoute<THotfixContext>(async ({ actor, context }) => {
  await deleteHotfix({ actor, name: await hotfixNameOf(context) });
  return new Response(null, { status: 204 });
});
