import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { bodyFields } from "@/lib/api/update-params";
import { updateIdOf, withDetails, type TUpdateContext } from "@/lib/api/release-update-params";
import { submitUpdate } from "@/lib/server/release-updates/update-statements";

/**
 * A signed update-submit `{ statement, signature }`: the text becomes a new
 * revision. While a TODO remains: 400 with each one in `error.details.todos`.
 */
export const POST = apiRoute<TUpdateContext>(async ({ actor, request, context }) => {
  authorize(actor, "update:submit");
  const id = await updateIdOf(context);
  const body = bodyFields(await readJson(request, 512 * 1024));
  return withDetails(async () =>
    NextResponse.json(await submitUpdate({ ...body, id, actor }), { status: 201 }),
  );
});
