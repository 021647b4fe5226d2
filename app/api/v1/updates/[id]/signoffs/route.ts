import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { bodyFields } from "@/lib/api/update-params";
import { updateIdOf, withDetails, type TUpdateContext } from "@/lib/api/release-update-params";
import { recordUpdateSignoff } from "@/lib/server/release-updates/update-statements";

/** A signed update statement of any kind `{ statement, signature }`; answers the record. */
export const POST = apiRoute<TUpdateContext>(async ({ actor, request, context }) => {
  // Refused before the path or body is read; the use-case authorizes the statement's kind.
  authorize(actor, "update:read");
  const id = await updateIdOf(context);
  const body = bodyFields(await readJson(request));
  return withDetails(async () =>
    NextResponse.json(await recordUpdateSignoff({ ...body, id, actor }), { status: 201 }),
  );
});
