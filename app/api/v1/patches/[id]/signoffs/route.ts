import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { ZSignedStatement } from "@/lib/server/patches/record-signoff";
import { recordPatchStatement } from "@/lib/server/statements/record-patch-statement";

/**
 * A signed statement: `{ statement, signature }` with the armored detached
 * signature, for the patch in the URL. Presence at a signing-server visit goes
 * to the visit record, a withdraw withdraws the patch (the comment is its
 * reason); every other kind is a sign-off of the patch. The use-case verifies
 * everything else.
 */
export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const body = ZSignedStatement.parse(await readJson(request));
  const r = await recordPatchStatement({ actor, patchId, ...body });
  if (r.presence) return NextResponse.json({ kind: r.kind, ...r.presence }, { status: 201 });
  if (r.withdrawal) return NextResponse.json({ kind: r.kind, ...r.withdrawal }, { status: 201 });
  // Spelled as GET /patches/:id spells sign-offs.
  return NextResponse.json(
    { ...r.signoff, kind: r.kind, verdict: r.signoff.verdict.toLowerCase() },
    { status: 201 },
  );
});
