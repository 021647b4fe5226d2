import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { currentActor } from "@/lib/auth/require-actor";
import { AppError, describeZodIssues, isAppError } from "@/lib/errors";
import { uploadTarball } from "@/lib/server/deployments/upload-tarball";

// Step 7's upload from the admin's browser (P9): the raw bytes as the body,
// the file name in ?name=. Streamed to disk and hashed by uploadTarball,
// capped at MAX_TARBALL_BYTES; the proxy never runs here (it would buffer the body).

function fail(code: AppError["code"], message: string, status: number) {
  return NextResponse.json({ error: { code, message } }, { status });
}

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return fail("UNAUTHENTICATED", "Your session has ended. Sign in again.", 401);
  // A custom header cannot be sent cross-site without a CORS preflight, which this route never grants.
  if (request.headers.get("x-patchgate-upload") !== "1")
    return fail("FORBIDDEN", "Upload through the deployment page.", 403);
  const { id } = await params;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  try {
    const stored = await uploadTarball({
      actor,
      patchId: id,
      name: new URL(request.url).searchParams.get("name") ?? "",
      body: request.body,
      declaredBytes: Number.isFinite(declared) ? declared : undefined,
    });
    return NextResponse.json(stored, { status: 201 });
  } catch (e) {
    if (isAppError(e)) return fail(e.code, e.message, e.status);
    if (e instanceof ZodError) return fail("VALIDATION", describeZodIssues(e.issues), 400);
    console.error(e);
    return fail("INTERNAL", "Something went wrong on the server; nothing was stored.", 500);
  }
}
