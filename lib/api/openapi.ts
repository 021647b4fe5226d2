// The OpenAPI 3.1 description of the JSON API, served at GET /api/v1/openapi.json.
// It is generated (zod-openapi) from the zod schemas the routes parse with and the
// schemas of their answers; openapi.test.ts checks that every route handler in
// app/api/v1 is described and nothing more, and that the result is valid OpenAPI 3.1.

import { createDocument, type ZodOpenApiPathsObject } from "zod-openapi";
import { ACCOUNT_PATHS } from "./openapi-account";
import { ADMIN_PATHS } from "./openapi-admin";
import { HEALTH_PATHS } from "./openapi-health";
import { PATCH_PATHS } from "./openapi-patches";
import { DEPLOYMENT_PATHS } from "./openapi-deployments";
import { HOTFIX_PATHS } from "./openapi-hotfixes";
import { LOG_PATHS } from "./openapi-log";
import { PACKAGE_MODE_PATHS } from "./openapi-package-modes";
import { PACKAGE_EVIDENCE_PATHS } from "./openapi-package-evidence";
import { UPDATE_EVIDENCE_PATHS } from "./openapi-update-evidence";
import { EMERGENCY_EVIDENCE_PATHS } from "./openapi-emergency-evidence";
import { EMERGENCY_PATHS } from "./openapi-emergencies";
import { QUEUE_PATHS } from "./openapi-queue";
import { UPDATE_PATHS } from "./openapi-updates";
import { RELEASE_UPDATE_PATHS } from "./openapi-release-updates";
import { UPDATE_VERIFICATION_PATHS } from "./openapi-update-verification";

/** Every operation, as zod-openapi path items; the test walks this to find hand-written schemas. */
export const apiPaths = {
  ...HEALTH_PATHS,
  ...ACCOUNT_PATHS,
  ...ADMIN_PATHS,
  ...PATCH_PATHS,
  ...DEPLOYMENT_PATHS,
  ...HOTFIX_PATHS,
  ...LOG_PATHS,
  ...PACKAGE_MODE_PATHS,
  ...PACKAGE_EVIDENCE_PATHS,
  ...UPDATE_EVIDENCE_PATHS,
  ...EMERGENCY_EVIDENCE_PATHS,
  ...EMERGENCY_PATHS,
  ...QUEUE_PATHS,
  ...UPDATE_PATHS,
  ...RELEASE_UPDATE_PATHS,
  ...UPDATE_VERIFICATION_PATHS,
} as ZodOpenApiPathsObject;

export const openApiDocument = createDocument({
  openapi: "3.1.0",
  info: {
    title: "Patchgate API",
    version: "1",
    description:
      "Change approval for critical systems. Send a personal API token as `Authorization: Bearer pg_...`. " +
      'Errors are `{ "error": { "code", "message" } }`; match on `code`. See docs/api.md and docs/statements.md.',
  },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }],
  paths: apiPaths,
  components: {
    securitySchemes: {
      bearer: {
        type: "http",
        scheme: "bearer",
        description:
          "A personal API token, `pg_` + 43 characters. Scope `read` allows GET and HEAD only (403 otherwise); scope `sign` acts as its owner. A token may expire; it is revoked when its owner's password changes or the account is disabled.",
      },
    },
  },
});
