import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { seriesOf, ZBodyObject, type TSeriesContext } from "@/lib/api/verification-params";
import { listHttpsChecks, requestHttpsCheck } from "@/lib/server/release-updates/https-check";

/** S3: `{ url, caBundle?, server? }`: 202 with the PENDING check; the worker connects later. */
export const POST = apiRoute<TSeriesContext>(async ({ actor, request, context }) => {
  // Refused before the path or body is read; the use-case authorizes again and parses.
  authorize(actor, "update:verify");
  const { id, series } = await seriesOf(context);
  const body = ZBodyObject.parse(await readJson(request));
  const check = await requestHttpsCheck({
    actor,
    url: body.url as string,
    caBundle: body.caBundle as string | undefined,
    server: body.server as "apache" | "nginx" | undefined,
    id,
    series,
  });
  return NextResponse.json(check, { status: 202 });
});

/** The series' HTTPS checks on every revision, newest first. */
export const GET = apiRoute<TSeriesContext>(async ({ actor, context }) => {
  const { id, series } = await seriesOf(context);
  return NextResponse.json({ checks: await listHttpsChecks({ actor, id, series }) });
});
