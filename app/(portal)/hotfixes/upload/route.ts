import { NextResponse } from "next/server";
import { uploadRoute } from "@/lib/api/upload-route";
import { FORM_OVERHEAD_BYTES, readMultipart } from "@/lib/api/multipart";
import { AppError } from "@/lib/errors";
import { MAX_HOTFIX_BYTES, uploadHotfix } from "@/lib/server/hotfixes/upload-hotfix";

// The hotfixes page posts the file here with XMLHttpRequest (for progress); the
// session decides who acts, uploadHotfix authorizes and checks the archive.
export const POST = uploadRoute("the hotfixes page", async ({ actor, request }) => {
  const form = await readMultipart(request, MAX_HOTFIX_BYTES + FORM_OVERHEAD_BYTES);
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    throw new AppError("VALIDATION", "Choose the hotfix file to upload.");
  const created = await uploadHotfix({
    actor,
    fileName: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  });
  return NextResponse.json(created, { status: 201 });
});
