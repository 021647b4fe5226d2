import { apiRoute } from "@/lib/api/handler";
import { patchIdOf, type TPatchContext } from "@/lib/api/route-params";
import { tarballUploadResponse } from "@/lib/api/tarball-upload";

/**
 * P9: step 7's new source tarball as the raw body, `?name=FILE`; 201 with its
 * name and SHA-256, which tick step 7 (.../steps/7/statement). The same
 * use-case as the deployment page's upload.
 */
export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) =>
  tarballUploadResponse({ actor, request, patchId: await patchIdOf(context) }),
);
