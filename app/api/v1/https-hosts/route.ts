import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { ZBodyObject } from "@/lib/api/verification-params";
import { allowHttpsHost, listHttpsHosts } from "@/lib/server/release-updates/allowed-hosts";

/** S3: the hosts the worker's HTTPS check may connect to. */
export const GET = apiRoute(async ({ actor }) =>
  NextResponse.json({ hosts: await listHttpsHosts({ actor }) }),
);

/** `{ host, note? }`: 201 with the entry, 200 with it unchanged when the host is listed already. */
export const POST = apiRoute(async ({ actor, request }) => {
  authorize(actor, "update:manage");
  const body = ZBodyObject.parse(await readJson(request));
  const r = await allowHttpsHost({
    actor,
    host: body.host as string,
    note: body.note as string | undefined,
  });
  return NextResponse.json(r.entry, { status: r.created ? 201 : 200 });
});
