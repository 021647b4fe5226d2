// The update package's evidence bundle in the OpenAPI document (issue 13,
// docs/update-packages.md "Evidence bundle"); openapi.ts merges it in.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ZBuildPackageBundle } from "../server/updates/build-package-bundle";
import { E400, E401, E403, error, gzip } from "./openapi-parts";

export const PACKAGE_EVIDENCE_PATHS = {
  "/api/v1/packages/{id}/evidence": {
    get: {
      summary:
        "The update package's evidence bundle, sealed by the portal key, for `patchgate verify`",
      requestParams: { path: ZBuildPackageBundle },
      responses: {
        "200": gzip(
          "application/gzip: the bundle (package-<id>/...); `x-content-sha256` is its SHA-256.",
        ),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such package."),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
