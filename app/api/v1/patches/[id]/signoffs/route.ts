import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { signoffReceipt } from "@/lib/api/patch-answers";
import { ZSignedStatement } from "@/lib/server/patches/record-signoff";
import { recordPatchStatement } from "@/lib/server/statements/record-patch-statement";

/**
 * A signed statement: `{ statement, signature }` with the armored detached
 * signature, for the patch in the URL. Presence at a signing-server visit goes
 * to the visit record, a withdraw withdraws the patch (the comment is its
 * reason), a `step` statement ticks or decides a deployment step; every other
 * kind is a sign-off of the patch. The use-case verifies everything else.
 */
export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const body = ZSignedStatement.parse(await readJson(request));
  const r = await recordPatchStatement({ actor, patchId, ...body });
  return NextResponse.json(signoffReceipt(r), { status: 201 });
});
