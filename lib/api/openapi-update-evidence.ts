// The release update's evidence bundle in the OpenAPI document (issue 14,
// docs/release-updates.md "Evidence bundle"); openapi.ts merges it in.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ZBuildUpdateBundle } from "../server/release-updates/build-update-bundle";
import { E400, E401, E403, error, gzip } from "./openapi-parts";

export const UPDATE_EVIDENCE_PATHS = {
  "/api/v1/updates/{id}/evidence": {
    get: {
      summary:
        "The release update's evidence bundle, sealed by the portal key, for `patchgate verify`",
      requestParams: { path: ZBuildUpdateBundle },
      responses: {
        "200": gzip(
          "application/gzip: the bundle (update-<number>/...): every signed revision, statement and key, the evidence each verification covers, the series evidence, the HTTPS checks, the tags and the audit events; `x-content-sha256` is its SHA-256.",
        ),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such release update."),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
