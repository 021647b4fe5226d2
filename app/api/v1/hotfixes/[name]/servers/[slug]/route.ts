import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { hotfixServerOf, type THotfixServerContext } from "@/lib/api/route-params";
import { serverStatus } from "@/lib/server/hotfixes/applications";

/** What the CLI asks before it touches a server: `mayApply` / `mayUnapply`, and why not. */
export const GET = apiRoute<THotfixServerContext>(async ({ actor, context }) => {
  const { name, slug } = await hotfixServerOf(context);
  return NextResponse.json(await serverStatus({ actor, name, server: slug }));
});
