import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { bodyFields } from "@/lib/api/update-params";
import { templateSlugOf, type TTemplateContext } from "@/lib/api/release-update-params";
import { getTemplate, saveTemplate } from "@/lib/server/release-updates/templates";

/** One template: its body, sections and TODOs. */
export const GET = apiRoute<TTemplateContext>(async ({ actor, context }) => {
  authorize(actor, "update:read");
  return NextResponse.json(await getTemplate({ actor, slug: await templateSlugOf(context) }));
});

/** Creates or replaces the template with this slug: `{ name, body }` (admins). 201 when created. */
export const PUT = apiRoute<TTemplateContext>(async ({ actor, request, context }) => {
  authorize(actor, "update:manage");
  const slug = await templateSlugOf(context);
  const body = bodyFields(await readJson(request));
  const saved = await saveTemplate({ ...body, slug, actor });
  return NextResponse.json(saved, { status: saved.created ? 201 : 200 });
});
