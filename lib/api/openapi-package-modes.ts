// The update-mode operations of the OpenAPI document (U4: package-apply,
// the manual checklist's package-step; docs/update-packages.md); openapi.ts
// merges them in.
import { E400, E401, E403, error, json, ref } from "./openapi-parts";

const E404 = error("NOT_FOUND: no such update package.");
const E409 = error(
  "CONFLICT: the package is quarantined (the message gives its reason), the installation's mode does not take this statement, the update is already complete, a step is out of order (the message names the step that comes first) or Enterprise-only on a non-Enterprise installation.",
);

const id = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", minLength: 1, maxLength: 64 },
  description: "The update package's id.",
};
const instant = { type: "string", format: "date-time" };
const nullable = (schema: object) => ({ oneOf: [schema, { type: "null" }] });
const ticked = {
  type: "object",
  required: ["by", "at", "fingerprint"],
  properties: {
    by: {
      type: "object",
      required: ["id", "name", "email"],
      properties: { id: { type: "string" }, name: { type: "string" }, email: { type: "string" } },
    },
    at: instant,
    fingerprint: { type: "string" },
  },
};

const STATEMENT_ISSUED = {
  "200": {
    description: "The statement: sign exactly these bytes.",
    headers: {
      "X-Statement-Expires-At": { schema: instant },
      "X-Key-Fingerprint": { schema: { type: "string" } },
    },
    content: { "text/plain; charset=utf-8": { schema: { type: "string" } } },
  },
  "400": error(
    "VALIDATION: a bad kind or step, evidence that is not a JSON object, a field the step does not ask for, or a missing confirmation (the message names it).",
  ),
  "401": E401,
  "403": error("FORBIDDEN: only critical admins and admins (package:apply) sign for packages."),
  "404": E404,
  "409": E409,
  "422": error("KEY_REFUSED: no registered key can sign."),
};

const statementFields = {
  kind: { enum: ["package-apply", "package-step"] },
  step: {
    type: "integer",
    minimum: 1,
    maximum: 10,
    description: "package-step: the checklist step's number.",
  },
  evidence: {
    type: "object",
    description:
      "package-step: the step's confirmations (each `true`: licenceKept for step 3, databaseIncChecked for 5 and 7, os4xrd, os4xsqd, os4xdebugd, os4xclientd for 10) and an optional `note`. In a query string: the object as JSON.",
    additionalProperties: true,
  },
  comment: {
    type: "string",
    maxLength: 4000,
    description: "package-apply only: a remark written into the statement.",
  },
};

export const PACKAGE_MODE_PATHS = {
  "/api/v1/packages/{id}/statement": {
    get: {
      summary: "The package-apply or package-step statement to sign (U4)",
      parameters: [
        id,
        { name: "kind", in: "query", required: true, schema: statementFields.kind },
        { name: "step", in: "query", schema: statementFields.step },
        {
          name: "evidence",
          in: "query",
          schema: { type: "string" },
          description: statementFields.evidence.description,
        },
        { name: "comment", in: "query", schema: statementFields.comment },
        { name: "key", in: "query", schema: { type: "string" } },
      ],
      responses: STATEMENT_ISSUED,
    },
    post: {
      summary: "The same statement from a JSON body",
      parameters: [id],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["kind"],
              properties: { ...statementFields, keyFingerprint: { type: "string" } },
            },
          },
        },
      },
      responses: {
        ...STATEMENT_ISSUED,
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
      },
    },
  },
  "/api/v1/packages/{id}/signoffs": {
    post: {
      summary: "Record a signed package-apply or package-step; answers the update record",
      parameters: [id],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["statement", "signature"],
              properties: {
                statement: {
                  type: "string",
                  description: "Exactly the text GET .../statement returned.",
                },
                signature: {
                  type: "string",
                  description: "The ASCII-armored detached signature over those bytes.",
                },
              },
            },
          },
        },
      },
      responses: {
        "201": json("Recorded.", ref("PackageUpdate")),
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
      parameters: [id],
      responses: {
        "200": json("The checklist.", ref("PackageChecklist")),
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
};

const checklistStep = {
  type: "object",
  required: ["number", "key", "title", "enterpriseOnly", "confirms", "confirmLabels", "ticked"],
  properties: {
    number: { type: "integer" },
    key: { type: "string" },
    title: { type: "string" },
    enterpriseOnly: { type: "boolean" },
    confirms: { type: "array", items: { type: "string" } },
    confirmLabels: { type: "object", additionalProperties: { type: "string" } },
    ticked: nullable({
      ...ticked,
      required: [...ticked.required, "evidence"],
      properties: { ...ticked.properties, evidence: { type: "object" } },
    }),
  },
};
const checklist = {
  type: "object",
  required: ["enterprise", "steps", "next"],
  properties: {
    enterprise: { type: "boolean" },
    steps: { type: "array", items: checklistStep },
    next: nullable({
      type: "object",
      required: ["number", "key", "title"],
      properties: {
        number: { type: "integer" },
        key: { type: "string" },
        title: { type: "string" },
      },
    }),
  },
};

export const PACKAGE_MODE_SCHEMAS = {
  PackageChecklist: {
    ...checklist,
    required: [...checklist.required, "packageId", "updateId", "installation", "state"],
    properties: {
      ...checklist.properties,
      packageId: { type: "string" },
      updateId: { type: "string" },
      installation: { type: "string" },
      state: { enum: ["IN_PROGRESS", "COMPLETED"] },
      completedAt: nullable(instant),
    },
  },
  PackageUpdate: {
    type: "object",
    required: ["id", "packageId", "installation", "mode", "state", "createdAt"],
    properties: {
      id: { type: "string" },
      packageId: { type: "string" },
      installation: { type: "string", description: "The installation's slug." },
      mode: { enum: ["automatic", "semi-automatic", "manual"] },
      state: { enum: ["AWAITING_APPLY", "IN_PROGRESS", "COMPLETED"] },
      createdAt: instant,
      completedAt: nullable(instant),
      applied: nullable({
        ...ticked,
        properties: { ...ticked.properties, statementId: { type: "string" } },
      }),
      checklist: nullable(checklist),
      postUpdate: nullable({
        type: "object",
        properties: {
          status: nullable({ type: "integer" }),
          answer: nullable({ type: "string" }),
          at: instant,
        },
      }),
    },
  },
};
