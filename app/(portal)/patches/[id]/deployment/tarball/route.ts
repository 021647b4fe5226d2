import { uploadRoute } from "@/lib/api/upload-route";
import { tarballUploadResponse } from "@/lib/api/tarball-upload";

// Step 7's upload from the admin's browser (P9): the raw bytes as the body,
// the file name in ?name=. The same as POST /api/v1/patches/:id/deployment/tarball.

export const POST = uploadRoute<{ params: Promise<{ id: string }> }>(
  "the deployment page",
  async ({ actor, request, context }) =>
    tarballUploadResponse({ actor, request, patchId: (await context.params).id }),
);
