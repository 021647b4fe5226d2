import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { packageUploadResponse } from "@/lib/api/package-upload";
import { installationSlugOf, type TInstallationContext } from "@/lib/api/update-params";
import { listPackages } from "@/lib/server/updates/package-queries";

/** The installation's packages, newest first, each with its verdict and channel. */
export const GET = apiRoute<TInstallationContext>(async ({ actor, context }) => {
  authorize(actor, "package:read");
  return NextResponse.json(await listPackages({ actor, slug: await installationSlugOf(context) }));
});

/** U1: multipart `package` (+ optional detached `signature`): 201 for every file kept. */
export const POST = apiRoute<TInstallationContext>(async ({ actor, request, context }) =>
  packageUploadResponse({
    actor,
    request,
    slug: () => installationSlugOf(context),
    channel: "API",
  }),
);
