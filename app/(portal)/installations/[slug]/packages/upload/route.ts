import { uploadRoute } from "@/lib/api/upload-route";
import { packageUploadResponse } from "@/lib/api/package-upload";
import { installationSlugOf, type TInstallationContext } from "@/lib/api/update-params";

// The installation page posts a package here with XMLHttpRequest (for progress);
// the session decides who acts, receivePackage authorizes, keeps and verifies it.
export const POST = uploadRoute<TInstallationContext>(
  "the installation's page",
  async ({ actor, request, context }) =>
    packageUploadResponse({
      actor,
      request,
      slug: () => installationSlugOf(context),
      channel: "BROWSER",
    }),
);
