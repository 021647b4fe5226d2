// The release update's evidence bundle in the OpenAPI document (issue 14,
// docs/release-updates.md "Evidence bundle"); openapi.ts merges it in.
import { E400, E401, E403, error } from "./openapi-parts";

export const UPDATE_EVIDENCE_PATHS = {
  "/api/v1/updates/{id}/evidence": {
    get: {
      summary:
        "The release update's evidence bundle, sealed by the portal key, for `patchgate verify`",
      parameters: [
        {
          name: "id",
          in: "path",
          required: true,
          schema: { type: "string", minLength: 1, maxLength: 64 },
          description: "The update record's id (as POST /api/v1/updates answered it).",
        },
      ],
      responses: {
        "200": {
          description:
            "application/gzip: the bundle (update-<number>/...): every signed revision, statement and key, the evidence each verification covers, the series evidence, the HTTPS checks, the tags and the audit events; `x-content-sha256` is its SHA-256.",
          content: { "application/gzip": { schema: { type: "string", format: "binary" } } },
        },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such release update."),
      },
    },
  },
};
