import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { bodyFields } from "@/lib/api/update-params";
import { listTemplates, saveTemplate } from "@/lib/server/release-updates/templates";

/** The release-update templates, by name, each with its sections and TODOs. */
export const GET = apiRoute(async ({ actor }) => {
  authorize(actor, "update:read");
  return NextResponse.json(await listTemplates({ actor }));
});

/** A new template `{ slug, name, body }` (admins); an existing slug is a 409 (use PUT). */
export const POST = apiRoute(async ({ actor, request }) => {
  // Refused before the body is read; the use-case authorizes again and parses.
  authorize(actor, "update:manage");
  const body = bodyFields(await readJson(request));
  return NextResponse.json(await saveTemplate({ ...body, actor, createOnly: true }), {
    status: 201,
  });
});
