import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { bodyFields } from "@/lib/api/update-params";
import { updateIdOf, withDetails, type TUpdateContext } from "@/lib/api/release-update-params";
import { editUpdate } from "@/lib/server/release-updates/edit-update";
import { getUpdate } from "@/lib/server/release-updates/update-facts";

/** The record: sections and TODOs, major changes, reviews, per-series verification and the tags. */
export const GET = apiRoute<TUpdateContext>(async ({ actor, context }) => {
  authorize(actor, "update:read");
  return NextResponse.json(await getUpdate({ actor, id: await updateIdOf(context) }), {
    headers: { "cache-control": "no-store" },
  });
});

/**
 * An edit: `{ sections?: { "<title>": "<text>" }, body?, title?, packages?,
 * version?, series?, bugId? }`. An edit of a submitted record voids its revision.
 */
export const PATCH = apiRoute<TUpdateContext>(async ({ actor, request, context }) => {
  authorize(actor, "update:submit");
  const id = await updateIdOf(context);
  const body = bodyFields(await readJson(request));
  return withDetails(async () => NextResponse.json(await editUpdate({ ...body, id, actor })));
});
