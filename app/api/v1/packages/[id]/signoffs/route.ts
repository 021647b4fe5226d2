import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { packageIdOf, type TPackageContext } from "@/lib/api/update-params";
import { recordPackageSignoff } from "@/lib/server/updates/package-statements";

/** A signed package-apply or package-step: `{ statement, signature }`; answers the update record. */
export const POST = apiRoute<TPackageContext>(async ({ actor, request, context }) => {
  // Refused before the path or body is read; the use-case authorizes again and parses.
  authorize(actor, "package:apply");
  const id = await packageIdOf(context);
  const body = (await readJson(request)) as Record<string, unknown>;
  return NextResponse.json(await recordPackageSignoff({ ...body, id, actor }), { status: 201 });
});
