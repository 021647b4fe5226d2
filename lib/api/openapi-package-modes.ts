// The update-mode operations of the OpenAPI document (U4: package-apply,
// the manual checklist's package-step; docs/update-packages.md); openapi.ts
// merges them in. Requests are the use-case's schemas (package-statements.ts);
// answers match presentUpdate and packageChecklist (package-modes.int.test.ts).
import { z } from "zod";
import type { ZodOpenApiPathsObject, ZodOpenApiResponsesObject } from "zod-openapi";
import { ZPackageParams } from "./update-params";
import {
  ZIssuePackageStatement,
  ZPackageStatementQuery,
  ZRecordPackageSignoff,
} from "../server/updates/package-statements";
import { UPDATE_MODES } from "../domain/update-mode";
import {
  E400,
  E401,
  E403,
  error,
  json,
  jsonBody,
  statementIssued,
  ZDateTime,
} from "./openapi-parts";

const E404 = error("NOT_FOUND: no such update package.");
const E409 = error(
  "CONFLICT: the package is quarantined (the message gives its reason), the installation's mode does not take this statement, the update is already complete, a step is out of order (the message names the step that comes first) or Enterprise-only on a non-Enterprise installation.",
);

/** Who signed a statement, when it was received and with which key. */
const tickedShape = {
  by: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  at: ZDateTime,
  fingerprint: z.string(),
};

const checklistShape = {
  enterprise: z.boolean(),
  steps: z.array(
    z.object({
      number: z.number().int(),
      key: z.string(),
      title: z.string(),
      enterpriseOnly: z.boolean(),
      confirms: z.array(z.string()),
      confirmLabels: z.record(z.string(), z.string()),
      ticked: z.object({ ...tickedShape, evidence: z.record(z.string(), z.unknown()) }).nullable(),
    }),
  ),
  next: z.object({ number: z.number().int(), key: z.string(), title: z.string() }).nullable(),
};

export const ZPackageChecklist = z
  .object({
    packageId: z.string(),
    updateId: z.string(),
    installation: z.string(),
    state: z.enum(["IN_PROGRESS", "COMPLETED"]),
    completedAt: ZDateTime.nullable(),
    ...checklistShape,
  })
  .meta({ id: "PackageChecklist" });

export const ZPackageUpdate = z
  .object({
    id: z.string(),
    packageId: z.string(),
    installation: z.string().meta({ description: "The installation's slug." }),
    mode: z.enum(UPDATE_MODES),
    state: z.enum(["AWAITING_APPLY", "IN_PROGRESS", "COMPLETED"]),
    createdAt: ZDateTime,
    completedAt: ZDateTime.nullable(),
    applied: z.object({ ...tickedShape, statementId: z.string() }).nullable(),
    checklist: z.object(checklistShape).nullable(),
    postUpdate: z
      .object({ status: z.number().int().nullable(), answer: z.string().nullable(), at: ZDateTime })
      .nullable(),
  })
  .meta({ id: "PackageUpdate" });

const STATEMENT_ISSUED = {
  "200": statementIssued("The statement: sign exactly these bytes."),
  "400": error(
    "VALIDATION: a bad kind or step, evidence that is not a JSON object, a field the step does not ask for, or a missing confirmation (the message names it).",
  ),
  "401": E401,
  "403": error("FORBIDDEN: only critical admins and admins (package:apply) sign for packages."),
  "404": E404,
  "409": E409,
  "422": error("KEY_REFUSED: no registered key can sign."),
} satisfies ZodOpenApiResponsesObject;

export const PACKAGE_MODE_PATHS = {
  "/api/v1/packages/{id}/statement": {
    get: {
      summary: "The package-apply or package-step statement to sign (U4)",
      requestParams: { path: ZPackageParams, query: ZPackageStatementQuery },
      responses: STATEMENT_ISSUED,
    },
    post: {
      summary: "The same statement from a JSON body",
      requestParams: { path: ZPackageParams },
      requestBody: jsonBody(ZIssuePackageStatement.omit({ id: true })),
      responses: {
        ...STATEMENT_ISSUED,
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
      },
    },
  },
  "/api/v1/packages/{id}/signoffs": {
    post: {
      summary: "Record a signed package-apply or package-step; answers the update record",
      requestParams: { path: ZPackageParams },
      requestBody: jsonBody(ZRecordPackageSignoff.omit({ id: true })),
      responses: {
        "201": json("Recorded.", ZPackageUpdate),
        "400": E400,
        "401": E401,
        "403": error("FORBIDDEN: only critical admins and admins (package:apply)."),
        "404": E404,
        "409": E409,
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
        "422": error("SIGNATURE_REFUSED: the statement or its signature is not acceptable."),
      },
    },
  },
  "/api/v1/packages/{id}/checklist": {
    get: {
      summary:
        "A manual update's checklist: the steps that apply, each ticked or not, and the next",
      requestParams: { path: ZPackageParams },
      responses: {
        "200": json("The checklist.", ZPackageChecklist),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error(
          "CONFLICT: the package is quarantined, or its installation does not update manually.",
        ),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
