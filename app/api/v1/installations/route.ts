import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { bodyFields } from "@/lib/api/update-params";
import {
  createInstallation,
  listInstallations,
  type TCreateInstallation,
} from "@/lib/server/updates/installations";

/** Every installation by slug, with its active trusted certificates and vendor keys. */
export const GET = apiRoute(async ({ actor }) => {
  authorize(actor, "package:read");
  return NextResponse.json(await listInstallations({ actor }));
});

/** `{slug, name, product, mode, enterprise}`: 201 with the installation; 409 for a taken slug. */
export const POST = apiRoute(async ({ actor, request }) => {
  authorize(actor, "package:manage");
  const body = bodyFields(await readJson(request)) as TCreateInstallation;
  return NextResponse.json(await createInstallation({ ...body, actor }), { status: 201 });
});
