import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { hotfixServerOf, type THotfixServerContext } from "@/lib/api/route-params";
import { reportUnapply, ZReportUnapply } from "@/lib/server/hotfixes/applications";

/** The CLI's report that it restored the server's original files. */
export const POST = apiRoute<THotfixServerContext>(async ({ actor, request, context }) => {
  const { name, slug } = await hotfixServerOf(context);
  const report = ZReportUnapply.parse(await readJson(request));
  return NextResponse.json(await reportUnapply({ actor, name, server: slug, ...report }));
});
