// The release-update record operations of the OpenAPI document (S1–S3:
// templates, records, submitting, statements and sign-offs;
// docs/release-updates.md "API"); openapi.ts merges them in.
import { E400, E401, error, json, ref } from "./openapi-parts";

const E404 = error("NOT_FOUND: no such release update (or template, or target system).");
const E413 = error("PAYLOAD_TOO_LARGE: the body is above 1 MiB.");
const E403 = error(
  "FORBIDDEN: the token has the read scope, or the actor's roles do not allow this (update:read, update:submit, update:review, update:verify, update:manage), or separation of duties refuses it: the record's creator and the current revision's submitter never review, acknowledge or verify it.",
);
const E409 = error(
  "CONFLICT: the record is not in the state this needs (reviews and acknowledgements: SUBMITTED; verification: APPROVED; submitting: DRAFT), the statement is about a revision an edit voided or about an earlier one, the record or its evidence changed since the statement was issued, this person already reviewed this revision, or this change was already acknowledged.",
);

const id = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", minLength: 1, maxLength: 64 },
  description: "The release update's id (not its number).",
};
const slug = {
  name: "slug",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{1,62}$" },
  description: "The template's slug.",
};
const sha256 = { type: "string", pattern: "^[0-9a-f]{64}$" };
const instant = { type: "string", format: "date-time" };
const nullable = (schema: object) => ({ oneOf: [schema, { type: "null" }] });
const who = {
  type: "object",
  required: ["id", "name"],
  properties: { id: { type: "string" }, name: { type: "string" } },
};
const todo = {
  type: "object",
  required: ["section", "line", "text"],
  properties: {
    section: { type: "string" },
    line: { type: "integer", description: "1-based line in the body." },
    text: { type: "string", description: "The line as written (trimmed, at most 200 characters)." },
  },
};
const body = (required: string[], properties: Record<string, object>) => ({
  required: true,
  content: { "application/json": { schema: { type: "object", required, properties } } },
});

const recordFields = {
  title: { type: "string", minLength: 3, maxLength: 200 },
  packages: {
    type: "array",
    minItems: 1,
    maxItems: 20,
    uniqueItems: true,
    items: { type: "string", pattern: "^[a-z0-9][a-z0-9+.-]+$" },
    description: "The package family: Debian source package names.",
  },
  version: {
    type: "string",
    pattern: "^(?:\\d{1,9}:)?[0-9][A-Za-z0-9.+~-]*$",
    maxLength: 100,
    description: "The new upstream (or Debian) version.",
  },
  series: {
    type: "array",
    minItems: 1,
    maxItems: 20,
    uniqueItems: true,
    items: { type: "string", pattern: "^[a-z][a-z0-9-]{1,30}$" },
    description: "The target series (focal, jammy, noble).",
  },
  bugId: { type: "string", pattern: "^[0-9A-Za-z#._-]{1,32}$" },
};

const templateBody = {
  name: { type: "string", minLength: 3, maxLength: 200 },
  body: {
    type: "string",
    maxLength: 64000,
    description:
      "Markdown; `[Heading]` or `## Heading` lines start sections; `TODO` marks a placeholder.",
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
    "VALIDATION: a bad kind or verdict; update-submit while a TODO remains (`error.details.todos` lists each: section, line, text); update-major-ack naming no change or a compatible one; update-verify without a target series, without a version for every package (`error.details.missing`), a pass while a check is not ok (`error.details.missingChecks`), or a fail without a comment; a rejection without a comment.",
  ),
  "401": E401,
  "403": E403,
  "404": E404,
  "409": E409,
  "422": error("KEY_REFUSED: no registered key can sign."),
};

const statementFields = {
  kind: { enum: ["update-submit", "update-review", "update-major-ack", "update-verify"] },
  verdict: {
    type: "string",
    description:
      "update-review: approve | reject; update-verify: pass | fail; update-submit (submit) and update-major-ack (acknowledge) have one and need none.",
  },
  series: { type: "string", description: "update-verify: the series verified." },
  change: {
    type: "integer",
    minimum: 1,
    description: "update-major-ack: the change's number in the current revision's Major Changes.",
  },
  versions: {
    type: "object",
    additionalProperties: { type: "string" },
    description:
      "update-verify: the version verified of every package of the family. In a query string: the object as JSON.",
  },
  comment: {
    type: "string",
    maxLength: 4000,
    description:
      "The signer's words (update-verify: the comment that goes to the bug tracker). Required for a rejection and a failed verification. update-submit signs the body instead.",
  },
};

const signedBody = body(["statement", "signature"], {
  statement: { type: "string", description: "Exactly the text GET .../statement returned." },
  signature: {
    type: "string",
    description: "The ASCII-armored detached signature over those bytes.",
  },
});

const RECORDED = (what: string) => ({
  "201": json(`${what}: the record as GET /api/v1/updates/{id} answers.`, ref("ReleaseUpdate")),
  "400": error(
    "VALIDATION: not an update statement, a statement about another update, or a rule of its kind (update-submit: `error.details.todos` lists every TODO left, checked before anything else).",
  ),
  "401": E401,
  "403": E403,
  "404": E404,
  "409": E409,
  "413": E413,
  "422": error("SIGNATURE_REFUSED: the statement or its signature is not acceptable."),
});

export const RELEASE_UPDATE_PATHS = {
  "/api/v1/update-templates": {
    get: {
      summary: "The release-update templates (update:read)",
      responses: {
        "200": json("The templates, by name.", { type: "array", items: ref("UpdateTemplate") }),
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Create a template (admins: update:manage)",
      requestBody: body(["slug", "name", "body"], {
        slug: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{1,62}$" },
        ...templateBody,
      }),
      responses: {
        "201": json("Created.", ref("UpdateTemplate")),
        "400": E400,
        "401": E401,
        "403": E403,
        "409": error("CONFLICT: a template with this slug exists (change it with PUT)."),
        "413": E413,
      },
    },
  },
  "/api/v1/update-templates/{slug}": {
    get: {
      summary: "One template with its sections and TODOs",
      parameters: [slug],
      responses: {
        "200": json("The template.", ref("UpdateTemplate")),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
      },
    },
    put: {
      summary: "Create or replace a template (admins: update:manage); records keep their text",
      parameters: [slug],
      requestBody: body(["name", "body"], templateBody),
      responses: {
        "200": json("Replaced.", ref("UpdateTemplate")),
        "201": json("Created.", ref("UpdateTemplate")),
        "400": E400,
        "401": E401,
        "403": E403,
        "413": E413,
      },
    },
  },
  "/api/v1/updates": {
    get: {
      summary: "The release-update records, newest first, with their tags",
      parameters: [
        {
          name: "state",
          in: "query",
          schema: { enum: ["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"] },
        },
      ],
      responses: {
        "200": json("The records.", { type: "array", items: ref("ReleaseUpdateSummary") }),
        "400": E400,
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Create a record from a template (update:submit); its text is the template's",
      requestBody: body(["template", "system", "title", "packages", "version", "series", "bugId"], {
        template: { type: "string", description: "The template's slug." },
        system: {
          type: "string",
          description: "The target system's slug (review policy, tracker).",
        },
        ...recordFields,
      }),
      responses: {
        "201": json("Created as a DRAFT.", ref("ReleaseUpdate")),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "413": E413,
      },
    },
  },
  "/api/v1/updates/{id}": {
    get: {
      summary:
        "The record: sections and TODOs, major changes, reviews, verification per series, tags",
      parameters: [id],
      responses: {
        "200": json("The record.", ref("ReleaseUpdate")),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
      },
    },
    patch: {
      summary:
        "Edit: fill sections or replace the text, change the facts (update:submit); a submitted, approved or rejected record goes back to DRAFT and its revision is void",
      parameters: [id],
      requestBody: body([], {
        sections: {
          type: "object",
          additionalProperties: { type: "string" },
          description:
            'Section title (case-insensitive) → its new text, e.g. { "Impact": "…" }; the text before the first heading is "Introduction". A title that names no section is a 400 (`error.details.unknown`).',
        },
        body: {
          type: "string",
          maxLength: 64000,
          description: "The whole text (not with sections).",
        },
        ...recordFields,
      }),
      responses: {
        "200": json(
          "The record after the edit (unchanged when nothing differs).",
          ref("ReleaseUpdate"),
        ),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error("CONFLICT: the record changed meanwhile; reload and edit again."),
        "413": E413,
      },
    },
  },
  "/api/v1/updates/{id}/submit": {
    post: {
      summary: "Record a signed update-submit: the text becomes the next revision (SUBMITTED)",
      parameters: [id],
      requestBody: signedBody,
      responses: RECORDED("Submitted"),
    },
  },
  "/api/v1/updates/{id}/statement": {
    get: {
      summary:
        "The update-submit, update-review, update-major-ack or update-verify statement to sign",
      parameters: [
        id,
        { name: "kind", in: "query", required: true, schema: statementFields.kind },
        { name: "verdict", in: "query", schema: statementFields.verdict },
        { name: "series", in: "query", schema: statementFields.series },
        { name: "change", in: "query", schema: statementFields.change },
        {
          name: "versions",
          in: "query",
          schema: { type: "string" },
          description: statementFields.versions.description,
        },
        { name: "comment", in: "query", schema: statementFields.comment },
        { name: "key", in: "query", schema: { type: "string" }, description: "A key fingerprint." },
      ],
      responses: STATEMENT_ISSUED,
    },
    post: {
      summary: "The same statement from a JSON body",
      parameters: [id],
      requestBody: body(["kind"], { ...statementFields, keyFingerprint: { type: "string" } }),
      responses: { ...STATEMENT_ISSUED, "413": E413 },
    },
  },
  "/api/v1/updates/{id}/signoffs": {
    post: {
      summary: "Record a signed update statement of any of the four kinds",
      parameters: [id],
      requestBody: signedBody,
      responses: RECORDED("Recorded"),
    },
  },
};

const checkOf = (key: "evidence" | "check") => ({
  type: "object",
  required: ["state", key],
  properties: {
    state: { enum: ["missing", "pending", "ok", "failed"] },
    [key]: nullable({ type: "object", additionalProperties: true }),
  },
});

export const RELEASE_UPDATE_SCHEMAS = {
  UpdateTemplate: {
    type: "object",
    required: ["slug", "name", "body", "bodySha256", "sections", "todos", "createdAt", "updatedAt"],
    properties: {
      slug: { type: "string" },
      name: { type: "string" },
      body: { type: "string" },
      bodySha256: sha256,
      sections: {
        type: "array",
        items: {
          type: "object",
          properties: { title: { type: "string" }, line: { type: "integer" } },
        },
      },
      todos: { type: "array", items: todo },
      created: { type: "boolean", description: "POST and PUT only: whether it was created." },
      createdAt: instant,
      updatedAt: instant,
    },
  },
  ReleaseUpdateSummary: {
    type: "object",
    required: ["id", "number", "title", "state", "revision", "system", "tags"],
    properties: {
      id: { type: "string" },
      number: { type: "integer" },
      title: { type: "string" },
      state: { enum: ["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"] },
      revision: { type: "integer" },
      system: {
        type: "object",
        properties: { slug: { type: "string" }, name: { type: "string" } },
      },
      packages: recordFields.packages,
      version: { type: "string" },
      series: recordFields.series,
      bugId: { type: "string" },
      todos: { type: "integer", description: "How many TODO placeholders remain." },
      tags: { type: "array", items: { type: "string" } },
      createdBy: who,
      createdAt: instant,
      updatedAt: instant,
    },
  },
  ReleaseUpdate: {
    type: "object",
    required: [
      "id",
      "number",
      "title",
      "state",
      "revision",
      "system",
      "template",
      "packages",
      "version",
      "series",
      "bugId",
      "body",
      "sections",
      "todos",
      "majorChanges",
      "reviews",
      "outcome",
      "verification",
      "tags",
      "revisions",
      "createdBy",
      "createdAt",
      "updatedAt",
    ],
    properties: {
      id: { type: "string" },
      number: { type: "integer" },
      title: { type: "string" },
      state: {
        enum: ["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"],
        description:
          "DRAFT: being written, or edited since revision `revision` was submitted (that revision is void).",
      },
      revision: {
        type: "integer",
        description: "The latest signed revision (0: never submitted).",
      },
      system: {
        type: "object",
        properties: { slug: { type: "string" }, name: { type: "string" } },
      },
      template: {
        type: "object",
        properties: { slug: { type: "string" }, name: { type: "string" } },
      },
      packages: recordFields.packages,
      version: { type: "string" },
      series: recordFields.series,
      bugId: { type: "string" },
      body: { type: "string" },
      sections: {
        type: "array",
        items: {
          type: "object",
          required: ["title", "line", "text", "todos"],
          properties: {
            title: { type: "string" },
            line: { type: "integer" },
            text: { type: "string" },
            todos: {
              type: "array",
              items: {
                type: "object",
                properties: { line: { type: "integer" }, text: { type: "string" } },
              },
            },
          },
        },
      },
      todos: { type: "array", items: todo },
      majorChanges: {
        type: "array",
        description: "The changes of the current revision's Major Changes section.",
        items: {
          type: "object",
          required: ["number", "text", "incompatible", "sha256", "acknowledged"],
          properties: {
            number: { type: "integer" },
            text: { type: "string" },
            incompatible: { type: "boolean" },
            sha256,
            acknowledged: nullable({
              type: "object",
              properties: { by: who, at: instant, statementId: { type: "string" } },
            }),
          },
        },
      },
      reviews: {
        type: "array",
        description: "Every review, of every revision (only the current revision's count).",
        items: {
          type: "object",
          properties: {
            id: { type: "string" },
            revision: { type: "integer" },
            verdict: { enum: ["approve", "reject"] },
            signer: who,
            fingerprint: { type: "string" },
            at: instant,
            comment: { type: "string" },
          },
        },
      },
      outcome: nullable({
        type: "object",
        description: "The review outcome of the current revision (null while DRAFT).",
        properties: {
          state: { enum: ["SUBMITTED", "APPROVED", "REJECTED"] },
          approvals: { type: "integer" },
          required: { type: "integer" },
          unacknowledged: {
            type: "array",
            items: {
              type: "object",
              properties: { number: { type: "integer" }, text: { type: "string" } },
            },
          },
          waitingFor: { type: "array", items: { type: "string" } },
        },
      }),
      verification: {
        type: "array",
        items: {
          type: "object",
          required: ["series", "verdict", "tag", "checks", "verifiedBy"],
          properties: {
            series: { type: "string" },
            verdict: { enum: ["needed", "done", "failed"] },
            tag: nullable({ type: "string", description: "Only once APPROVED." }),
            checks: {
              type: "object",
              properties: {
                acme: checkOf("evidence"),
                apache: checkOf("check"),
                nginx: checkOf("check"),
                smoke: checkOf("evidence"),
              },
            },
            verifiedBy: nullable({
              type: "object",
              properties: {
                signer: who,
                verdict: { enum: ["pass", "fail"] },
                at: instant,
                comment: { type: "string" },
                statementId: { type: "string" },
              },
            }),
          },
        },
      },
      tags: {
        type: "array",
        items: { type: "string" },
        description: "verification-needed|done|failed-<series>, one per series once APPROVED.",
      },
      revisions: {
        type: "array",
        items: {
          type: "object",
          properties: {
            number: { type: "integer" },
            bodySha256: sha256,
            submittedBy: who,
            at: instant,
            statementId: { type: "string" },
          },
        },
      },
      createdBy: who,
      createdAt: instant,
      updatedAt: instant,
    },
  },
};
