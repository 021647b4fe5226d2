import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { AppError } from "@/lib/errors";
import { parseStatement } from "@/lib/domain/statements";
import { recordSignoff, ZSignedStatement } from "@/lib/server/patches/record-signoff";
import { recordPresence } from "@/lib/server/deployments/record-presence";

/**
 * A signed statement: `{ statement, signature }` with the armored detached
 * signature. Presence at a signing-server visit goes to the visit record; every
 * other kind is a sign-off of the patch. The use-cases verify everything else.
 */
export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const body = ZSignedStatement.parse(await readJson(request));
  const parsed = parseStatement(body.statement);
  if (parsed && parsed.patch !== patchId) {
    throw new AppError(
      "SIGNATURE_REFUSED",
      "The statement is for another patch than the one in the URL.",
      { reason: "other-patch" },
    );
  }
  if (parsed?.kind === "presence") {
    return NextResponse.json(
      { kind: "presence", ...(await recordPresence({ actor, ...body })) },
      { status: 201 },
    );
  }
  const signoff = await recordSignoff({ actor, ...body });
  // Spelled as GET /patches/:id spells sign-offs.
  return NextResponse.json(
    { ...signoff, kind: signoff.kind.toLowerCase(), verdict: signoff.verdict.toLowerCase() },
    { status: 201 },
  );
});
