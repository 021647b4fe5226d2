import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { currentActor } from "@/lib/auth/require-actor";
import { AppError, describeZodIssues, isAppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { submitPatch } from "@/lib/server/patches/submit-patch";
import { readCappedForm } from "./read-capped-form";

// The new-patch form posts here with XMLHttpRequest (for upload progress). The
// session decides who acts; submitPatch authorizes and checks the diff.

/** Room for the text fields and multipart framing around the diff itself. */
const FORM_OVERHEAD = 64 * 1024;

function fail(code: AppError["code"], message: string, status: number) {
  return NextResponse.json({ error: { code, message } }, { status });
}

export async function POST(request: Request) {
  const actor = await currentActor();
  if (!actor) return fail("UNAUTHENTICATED", "Your session has ended. Sign in again.", 401);
  // A custom header cannot be sent cross-site without a CORS preflight, which this route never grants.
  if (request.headers.get("x-patchgate-upload") !== "1")
    return fail("FORBIDDEN", "Upload through the new-patch form.", 403);
  try {
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
  } catch (e) {
    if (isAppError(e)) return fail(e.code, e.message, e.status);
    if (e instanceof ZodError) return fail("VALIDATION", describeZodIssues(e.issues), 400);
    console.error(e);
    return fail("INTERNAL", "Something went wrong on the server; nothing was stored.", 500);
  }
}
