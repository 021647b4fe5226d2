import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import type { TActor } from "../auth/actor";
import { uploadTarball, ZUploadTarball } from "../server/deployments/upload-tarball";

/** `?name=FILE`: the tarball's file name, as step 7 records it. */
export const ZTarballQuery = z.object({ name: ZUploadTarball.shape.name });

/** What a stored upload answers: its name, SHA-256 and size; tick step 7 with name and hash. */
export const ZTarballStored = z.object({
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int(),
});

/**
 * P9: step 7's tarball as the raw request body, over the API or from the
 * browser. uploadTarball authorizes and checks the step before it reads a
 * byte, streams the body to TARBALL_DIR while hashing it and stops at
 * MAX_TARBALL_BYTES (refused from Content-Length before reading).
 */
export async function tarballUploadResponse({
  actor,
  request,
  patchId,
}: {
  actor: TActor;
  request: Request;
  patchId: string;
}): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  const stored = await uploadTarball({
    actor,
    patchId,
    name: new URL(request.url).searchParams.get("name") ?? "",
    body: request.body,
    declaredBytes: Number.isFinite(declared) ? declared : undefined,
  });
  return NextResponse.json(stored, { status: 201 });
}
