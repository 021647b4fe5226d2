import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { FORM_OVERHEAD_BYTES, fileBytes, readMultipart } from "@/lib/api/multipart";
import { AppError } from "@/lib/errors";
import { listHotfixes } from "@/lib/server/hotfixes/list-hotfixes";
import {
  MAX_HOTFIX_BYTES,
  uploadHotfix,
  ZHotfixUploadForm,
} from "@/lib/server/hotfixes/upload-hotfix";

/** H1: every hotfix not deleted, newest first, with where it is applied. */
export const GET = apiRoute(async ({ actor }) => NextResponse.json(await listHotfixes({ actor })));

/** H1: multipart upload, file field `file`; the file's own name is parsed (docs/hotfixes.md). */
export const POST = apiRoute(async ({ actor, request }) => {
  const form = await readMultipart(request, MAX_HOTFIX_BYTES + FORM_OVERHEAD_BYTES);
  const parsed = ZHotfixUploadForm.safeParse({ file: form.get("file") ?? undefined });
  if (!parsed.success || !parsed.data.file.name)
    throw new AppError(
      "VALIDATION",
      "file: attach the hotfix file itself (curl -F file=@<name>.gz).",
    );
  const created = await uploadHotfix({
    actor,
    fileName: parsed.data.file.name,
    bytes: await fileBytes(parsed.data.file),
  });
  return NextResponse.json(created, { status: 201 });
});
