// An emergency's evidence bundle in the OpenAPI document (issue 15,
// docs/emergencies.md "Evidence bundle"); openapi.ts merges it in.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ZEmergencyParams } from "./route-params";
import { E400, E401, E403, error, gzip } from "./openapi-parts";

export const EMERGENCY_EVIDENCE_PATHS = {
  "/api/v1/emergencies/{number}/evidence": {
    get: {
      summary:
        "The emergency's evidence bundle, sealed by the portal key, for `patchgate verify` (needs patch:read: the teams and the arbitrators)",
      requestParams: { path: ZEmergencyParams },
      responses: {
        "200": gzip(
          "The bundle (emergency-<number>/...): emergency.json (the record: declarer, responders, every move in order, sessions, disputes and rulings, the deployed diffs), every signed statement and key, the session logs, the diffs and the audit events; `x-content-sha256` is its SHA-256.",
        ),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such emergency."),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
