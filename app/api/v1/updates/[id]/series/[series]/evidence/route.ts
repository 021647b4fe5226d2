import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { seriesOf, ZBodyObject, type TSeriesContext } from "@/lib/api/verification-params";
import { recordSeriesEvidence } from "@/lib/server/release-updates/evidence";

/**
 * S3: `{ kind: "acme", domain, acmeServer, certificate }` or `{ kind: "smoke", url, result }`:
 * 201 with the evidence recorded (ok or not, and why).
 */
export const POST = apiRoute<TSeriesContext>(async ({ actor, request, context }) => {
  authorize(actor, "update:verify");
  const { id, series } = await seriesOf(context);
  const body = ZBodyObject.parse(await readJson(request));
  // Every field is parsed by the use-case (an unknown kind or a missing field is a 400).
  const evidence = await recordSeriesEvidence({ ...body, actor, id, series } as Parameters<
    typeof recordSeriesEvidence
  >[0]);
  return NextResponse.json(evidence, { status: 201 });
});
