import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { hotfixServerOf, type THotfixServerContext } from "@/lib/api/route-params";
import { reportApplication, ZReportApplication } from "@/lib/server/hotfixes/applications";

/** The CLI's report of an apply: `APPLIED` with the new checksums, or `FAILED` with why. */
export const POST = apiRoute<THotfixServerContext>(async ({ actor, request, context }) => {
  const { name, slug } = await hotfixServerOf(context);
  const report = ZReportApplication.parse(await readJson(request));
  return NextResponse.json(await reportApplication({ actor, name, server: slug, ...report }), {
    status: 201,
  });
});
