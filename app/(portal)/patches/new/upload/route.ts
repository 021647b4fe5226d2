import { NextResponse } from "next/server";
import { uploadRoute } from "@/lib/api/upload-route";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { submitPatch } from "@/lib/server/patches/submit-patch";
import { readCappedForm } from "./read-capped-form";

// The new-patch form posts here with XMLHttpRequest (for upload progress). The
// session decides who acts; submitPatch authorizes and checks the diff.

/** Room for the text fields and multipart framing around the diff itself. */
const FORM_OVERHEAD = 64 * 1024;

export const POST = uploadRoute("the new-patch form", async ({ actor, request }) => {
  const form = await readCappedForm(request, env().MAX_DIFF_BYTES + FORM_OVERHEAD);
  const diff = form.get("diff");
  if (!(diff instanceof File) || diff.size === 0)
    throw new AppError("VALIDATION", "Choose the diff file to upload.");
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const created = await submitPatch({
    actor,
    system: text("system"),
    title: text("title"),
    summary: text("summary"),
    bugId: text("bugId"),
    bugSummary: text("bugSummary"),
    diff: new Uint8Array(await diff.arrayBuffer()),
  });
  return NextResponse.json(created, { status: 201 });
});
