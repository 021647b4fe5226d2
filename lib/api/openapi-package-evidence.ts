// The update package's evidence bundle in the OpenAPI document (issue 13,
// docs/update-packages.md "Evidence bundle"); openapi.ts merges it in.
import { E400, E401, E403, error } from "./openapi-parts";

export const PACKAGE_EVIDENCE_PATHS = {
  "/api/v1/packages/{id}/evidence": {
    get: {
      summary:
        "The update package's evidence bundle, sealed by the portal key, for `patchgate verify`",
      parameters: [
        {
          name: "id",
          in: "path",
          required: true,
          schema: { type: "string", minLength: 1, maxLength: 64 },
          description: "The package's id (as the upload answered it).",
        },
      ],
      responses: {
        "200": {
          description:
            "application/gzip: the bundle (package-<id>/...); `x-content-sha256` is its SHA-256.",
          content: { "application/gzip": { schema: { type: "string", format: "binary" } } },
        },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such package."),
      },
    },
  },
};
