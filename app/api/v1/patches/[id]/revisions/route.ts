import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { FORM_OVERHEAD_BYTES, fileBytes, formFields, readMultipart } from "@/lib/api/multipart";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { env } from "@/lib/env";
import { addRevision } from "@/lib/server/patches/add-revision";
import { ZRevisionForm } from "@/lib/api/patch-forms";

/** A new upload of the same patch: revision n+1; every earlier sign-off stops counting. */
export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const form = await readMultipart(request, env().MAX_DIFF_BYTES + FORM_OVERHEAD_BYTES);
  const { diff } = ZRevisionForm.parse(formFields(form, ["diff"]));
  const created = await addRevision({ actor, patchId, diff: await fileBytes(diff) });
  return NextResponse.json(created, { status: 201 });
});
