// The hotfix and server operations of the OpenAPI document (H1–H6,
// docs/hotfixes.md); openapi.ts merges them in.
import { E400, E401, E403, error, json, ref } from "./openapi-parts";

const E404 = error("NOT_FOUND: no such hotfix (deleted ones are gone) or server.");
const E409 = error(
  "CONFLICT: the staged rule or the hotfix's state refuses this; the message says why.",
);

const name = {
  name: "name",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^hotfix_[a-z0-9_]{1,200}$" },
  description: "The hotfix's registered name, hotfix_<component>_<description>.",
};
const slug = {
  name: "slug",
  in: "path",
  required: true,
  schema: { type: "string", minLength: 1, maxLength: 64 },
  description: "The server's slug.",
};
const sha256 = { type: "string", pattern: "^[0-9a-f]{64}$" };
const instant = { type: "string", format: "date-time" };
const restart = {
  restartCommand: { type: "string", minLength: 1, maxLength: 1000 },
  restartExit: { type: ["integer", "null"], minimum: -1, maximum: 255 },
  restartOutput: { type: "string", maxLength: 65536 },
};
const hotfixAnswer = (status: string, description: string) => ({
  [status]: json(description, ref("Hotfix")),
});

export const HOTFIX_PATHS = {
  "/api/v1/servers": {
    get: {
      summary: "Every server, its role and version, and the hotfixes applied on it (H2)",
      responses: {
        "200": json("The servers by slug.", { type: "array", items: ref("Server") }),
        "401": E401,
      },
    },
    post: {
      summary: "Add a server (critical admins and admins)",
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["slug", "product", "version", "role"],
              properties: {
                slug: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,62}$" },
                name: { type: "string", maxLength: 200 },
                product: { type: "string" },
                version: { type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$" },
                role: { enum: ["frontend", "backend"] },
              },
            },
          },
        },
      },
      responses: {
        "201": json("The server.", ref("Server")),
        "400": E400,
        "401": E401,
        "403": E403,
        "409": error("CONFLICT: a server with this slug exists."),
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
      },
    },
  },
  "/api/v1/hotfixes": {
    get: {
      summary: "Every hotfix not deleted, newest first (H1)",
      responses: {
        "200": json("The hotfixes.", { type: "array", items: ref("Hotfix") }),
        "401": E401,
      },
    },
    post: {
      summary: "Upload a hotfix file (critical admins); its own file name is parsed",
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["file"],
              properties: {
                file: {
                  type: "string",
                  format: "binary",
                  description:
                    "<product>-<version>-hotfix_<component>_<description>_<issue>.gz: a gzip tar with hotfix.json and files/.",
                },
              },
            },
          },
        },
      },
      responses: {
        ...hotfixAnswer("201", "Registered."),
        "400": error(
          "VALIDATION: the name does not parse, hotfix.json disagrees with it or with the files, unsafe paths, links, too many entries, more than 200 MB unpacked, or not a gzip tar; nothing stored.",
        ),
        "401": E401,
        "403": E403,
        "409": error("CONFLICT: a hotfix of this name is registered."),
        "413": error("PAYLOAD_TOO_LARGE: the file is above 64 MiB."),
      },
    },
  },
  "/api/v1/hotfixes/{name}": {
    get: {
      summary: "One hotfix, its release and its latest application per server",
      parameters: [name],
      responses: { ...hotfixAnswer("200", "The hotfix."), "400": E400, "401": E401, "404": E404 },
    },
    delete: {
      summary: "Delete a hotfix applied nowhere (H5)",
      parameters: [name],
      responses: {
        "204": { description: "Deleted; its history stays in the audit log." },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error("CONFLICT: still applied; the message names every server."),
      },
    },
  },
  "/api/v1/hotfixes/{name}/file": {
    get: {
      summary: "The hotfix file as uploaded",
      parameters: [name],
      responses: {
        "200": {
          description: "The file; `x-sha256` is its SHA-256.",
          content: { "application/gzip": { schema: { type: "string", format: "binary" } } },
        },
        "400": E400,
        "401": E401,
        "404": E404,
      },
    },
  },
  "/api/v1/hotfixes/{name}/evidence": {
    get: {
      summary: "The hotfix's evidence bundle, sealed by the portal key, for `patchgate verify`",
      parameters: [name],
      responses: {
        "200": {
          description: "application/gzip: the bundle.",
          content: { "application/gzip": { schema: { type: "string", format: "binary" } } },
        },
        "400": E400,
        "401": E401,
        "404": E404,
      },
    },
  },
  "/api/v1/hotfixes/{name}/statement": {
    get: {
      summary: "The hotfix-release or hotfix-verify statement to sign",
      parameters: [
        name,
        {
          name: "kind",
          in: "query",
          required: true,
          schema: { enum: ["hotfix-release", "hotfix-verify"] },
        },
        { name: "server", in: "query", schema: { type: "string", maxLength: 63 } },
        { name: "direct", in: "query", schema: { enum: ["1", "0", "true", "false", "yes", "no"] } },
        {
          name: "maxProcessesZero",
          in: "query",
          schema: { enum: ["1", "0", "true", "false", "yes", "no"] },
        },
        { name: "comment", in: "query", schema: { type: "string", maxLength: 4000 } },
        { name: "key", in: "query", schema: { type: "string" } },
      ],
      responses: {
        "200": {
          description: "The statement: sign exactly these bytes.",
          content: { "text/plain; charset=utf-8": { schema: { type: "string" } } },
        },
        "400": E400,
        "401": E401,
        "403": error("FORBIDDEN: the uploader's own release, or a role that may not sign this."),
        "404": E404,
        "409": E409,
        "422": error("KEY_REFUSED: no registered key can sign."),
      },
    },
  },
  "/api/v1/hotfixes/{name}/signoffs": {
    post: {
      summary: "Record a signed hotfix-release or hotfix-verify",
      parameters: [name],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["statement", "signature"],
              properties: { statement: { type: "string" }, signature: { type: "string" } },
            },
          },
        },
      },
      responses: {
        ...hotfixAnswer("201", "Recorded."),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
        "422": error("SIGNATURE_REFUSED: the statement or its signature is not acceptable."),
      },
    },
  },
  "/api/v1/hotfixes/{name}/servers/{slug}": {
    get: {
      summary:
        "May this hotfix go on (or come off) this server now, and why not (asked by the CLI)",
      parameters: [name, slug],
      responses: {
        "200": json("The answer.", ref("HotfixServerStatus")),
        "400": E400,
        "401": E401,
        "404": E404,
      },
    },
  },
  "/api/v1/hotfixes/{name}/servers/{slug}/applications": {
    post: {
      summary: "The CLI's report of an apply: APPLIED with the new checksums, or FAILED with why",
      parameters: [name, slug],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              oneOf: [
                {
                  type: "object",
                  required: ["outcome", "restartCommand", "files"],
                  properties: {
                    outcome: { const: "APPLIED" },
                    ...restart,
                    files: { type: "object", additionalProperties: sha256 },
                  },
                },
                {
                  type: "object",
                  required: ["outcome", "error", "restartCommand"],
                  properties: {
                    outcome: { const: "FAILED" },
                    error: { type: "string" },
                    ...restart,
                  },
                },
              ],
            },
          },
        },
      },
      responses: {
        ...hotfixAnswer("201", "Recorded."),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
      },
    },
  },
  "/api/v1/hotfixes/{name}/servers/{slug}/unapply": {
    post: {
      summary: "The CLI's report that it restored the server's original files",
      parameters: [name, slug],
      requestBody: {
        content: { "application/json": { schema: { type: "object", properties: restart } } },
      },
      responses: {
        ...hotfixAnswer("200", "Recorded."),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
      },
    },
  },
};

const application = {
  type: "object",
  required: [
    "server",
    "role",
    "state",
    "appliedAt",
    "verifiedAt",
    "unappliedAt",
    "restartCommand",
    "restartExit",
    "error",
  ],
  properties: {
    server: { type: "string" },
    role: { enum: ["frontend", "backend"] },
    state: { enum: ["APPLIED", "VERIFIED", "FAILED", "UNAPPLIED"] },
    appliedAt: instant,
    verifiedAt: { type: ["string", "null"], format: "date-time" },
    unappliedAt: { type: ["string", "null"], format: "date-time" },
    restartCommand: { type: "string" },
    restartExit: { type: ["integer", "null"] },
    error: { type: ["string", "null"] },
  },
};

export const HOTFIX_SCHEMAS = {
  Server: {
    type: "object",
    required: ["slug", "name", "role", "product", "version", "hotfixes"],
    properties: {
      slug: { type: "string" },
      name: { type: "string" },
      role: { enum: ["frontend", "backend"] },
      product: { type: "string" },
      version: { type: "string" },
      hotfixes: {
        type: "array",
        items: {
          type: "object",
          required: ["name", "state"],
          properties: { name: { type: "string" }, state: { enum: ["APPLIED", "VERIFIED"] } },
        },
      },
    },
  },
  Hotfix: {
    type: "object",
    required: [
      "name",
      "fileName",
      "state",
      "product",
      "version",
      "component",
      "description",
      "issue",
      "sha256",
      "bytes",
      "files",
      "uploadedBy",
      "uploadedAt",
      "release",
      "applications",
    ],
    properties: {
      name: { type: "string" },
      fileName: { type: "string" },
      state: { enum: ["UPLOADED", "RELEASED"] },
      product: { type: "string" },
      version: { type: "string" },
      component: { enum: ["frontend", "backend", "common"] },
      description: { type: "string" },
      issue: { type: "string" },
      sha256,
      bytes: { type: "integer" },
      files: {
        type: "array",
        items: {
          type: "object",
          required: ["path", "sha256Before", "sha256After"],
          properties: {
            path: { type: "string" },
            sha256Before: { type: ["string", "null"], pattern: "^[0-9a-f]{64}$" },
            sha256After: sha256,
          },
        },
      },
      uploadedBy: { type: "string" },
      uploadedAt: instant,
      release: {
        type: ["object", "null"],
        required: ["by", "fingerprint", "at"],
        properties: { by: { type: "string" }, fingerprint: { type: "string" }, at: instant },
      },
      applications: { type: "array", items: application },
    },
  },
  HotfixServerStatus: {
    type: "object",
    required: ["hotfix", "server", "state", "mayApply", "mayUnapply"],
    properties: {
      hotfix: ref("Hotfix"),
      server: {
        type: "object",
        required: ["slug", "role", "product", "version"],
        properties: {
          slug: { type: "string" },
          role: { enum: ["frontend", "backend"] },
          product: { type: "string" },
          version: { type: "string" },
        },
      },
      state: { enum: ["APPLIED", "VERIFIED", "FAILED", "UNAPPLIED", null] },
      mayApply: {
        type: "object",
        required: ["ok"],
        properties: {
          ok: { type: "boolean" },
          first: { type: "boolean" },
          code: {
            enum: ["NOT_RELEASED", "WRONG_TARGET", "ALREADY_APPLIED", "WAITING", "WRONG_ROLE"],
          },
          reason: { type: "string" },
        },
      },
      mayUnapply: {
        type: "object",
        required: ["ok"],
        properties: { ok: { type: "boolean" }, reason: { type: "string" } },
      },
    },
  },
};
