// An emergency's evidence bundle in the OpenAPI document (issue 15,
// docs/emergencies.md "Evidence bundle"); openapi.ts merges it in.
import { E400, E401, E403, error } from "./openapi-parts";

export const EMERGENCY_EVIDENCE_PATHS = {
  "/api/v1/emergencies/{number}/evidence": {
    get: {
      summary:
        "The emergency's evidence bundle, sealed by the portal key, for `patchgate verify` (needs patch:read: the teams and the arbitrators)",
      parameters: [
        {
          name: "number",
          in: "path",
          required: true,
          schema: { type: "integer", minimum: 1 },
          description: "The emergency's number (#N on its page).",
        },
      ],
      responses: {
        "200": {
          description:
            "application/gzip: the bundle (emergency-<number>/...): emergency.json (the record: declarer, responders, every move in order, sessions, disputes and rulings, the deployed diffs), every signed statement and key, the session logs, the diffs and the audit events; `x-content-sha256` is its SHA-256.",
          content: { "application/gzip": { schema: { type: "string", format: "binary" } } },
        },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such emergency."),
      },
    },
  },
};
