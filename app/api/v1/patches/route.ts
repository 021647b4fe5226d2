import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import {
  FORM_OVERHEAD_BYTES,
  fileBytes,
  formFields,
  missingIsRequired,
  readMultipart,
} from "@/lib/api/multipart";
import { queryOf } from "@/lib/api/route-params";
import { env } from "@/lib/env";
import { submitPatch } from "@/lib/server/patches/submit-patch";
import { ZSubmitPatchForm } from "@/lib/api/patch-forms";
import { listPatches, ZListPatches } from "@/lib/server/patches/list-patches";

/** Newest first; `state`, `system`, `number` (one patch by #N), and keyset pagination with `before` (a patch number) and `limit`. */
export const GET = apiRoute(async ({ actor, request }) => {
  const q = queryOf(request, ["state", "system", "before", "limit", "number"]);
  const filters = ZListPatches.parse({ ...q, state: q.state?.toUpperCase() });
  const page = await listPatches({ actor, ...filters });
  return NextResponse.json(page);
});

/** P1: multipart upload of a diff with its title, summary and bug; the patch starts as a draft to be signed. */
export const POST = apiRoute(async ({ actor, request }) => {
  const form = await readMultipart(request, env().MAX_DIFF_BYTES + FORM_OVERHEAD_BYTES);
  const { diff, ...fields } = ZSubmitPatchForm.parse(
    formFields(form, ["system", "title", "summary", "bugId", "bugSummary", "diff"]),
    { error: missingIsRequired },
  );
  const created = await submitPatch({ actor, ...fields, diff: await fileBytes(diff) });
  return NextResponse.json(created, { status: 201 });
});
