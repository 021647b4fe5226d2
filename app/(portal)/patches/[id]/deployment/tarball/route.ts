import { NextResponse } from "next/server";
import { uploadRoute } from "@/lib/api/upload-route";
import { uploadTarball } from "@/lib/server/deployments/upload-tarball";

// Step 7's upload from the admin's browser (P9): the raw bytes as the body,
// the file name in ?name=. Streamed to disk and hashed by uploadTarball,
// capped at MAX_TARBALL_BYTES.

export const POST = uploadRoute<{ params: Promise<{ id: string }> }>(
  "the deployment page",
  async ({ actor, request, context }) => {
    const { id } = await context.params;
    const declared = Number(request.headers.get("content-length") ?? NaN);
    const stored = await uploadTarball({
      actor,
      patchId: id,
      name: new URL(request.url).searchParams.get("name") ?? "",
      body: request.body,
      declaredBytes: Number.isFinite(declared) ? declared : undefined,
    });
    return NextResponse.json(stored, { status: 201 });
  },
);
