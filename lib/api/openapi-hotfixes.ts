// The hotfix and server operations of the OpenAPI document (H1–H6,
// docs/hotfixes.md); openapi.ts merges them in.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { HOTFIX_COMPONENTS } from "../domain/hotfix-name";
import type { TStagingDecision } from "../domain/hotfix-staging";
import { ZReportApplication, ZReportUnapply } from "../server/hotfixes/applications";
import { ZHotfixStatementQuery } from "../server/hotfixes/hotfix-statements";
import { ZAddServer } from "../server/hotfixes/servers";
import { ZHotfixUploadForm } from "../server/hotfixes/upload-hotfix";
import { ZSignedStatement } from "../server/patches/record-signoff";
import {
  E400,
  E401,
  E403,
  E413_JSON,
  error,
  forbiddenWithout,
  gzip,
  json,
  jsonBody,
  statementIssued,
  ZDateTime,
} from "./openapi-parts";
import { ZHotfixParams, ZHotfixServerParams } from "./route-params";

// What the routes answer: presentHotfix (lib/server/hotfixes/hotfix-facts.ts), listServers
// and serverStatus; hotfixes.int.test.ts checks real answers against these with expectShape.

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/);
const ZRole = z.enum(["frontend", "backend"]);
const ZApplicationState = z.enum(["APPLIED", "VERIFIED", "FAILED", "UNAPPLIED"]);
const REFUSALS = [
  "NOT_RELEASED",
  "WRONG_TARGET",
  "ALREADY_APPLIED",
  "WAITING",
  "WRONG_ROLE",
] as const satisfies readonly Extract<TStagingDecision, { ok: false }>["code"][];

export const ZServer = z
  .object({
    slug: z.string(),
    name: z.string(),
    role: ZRole,
    product: z.string(),
    version: z.string(),
    hotfixes: z.array(z.object({ name: z.string(), state: z.enum(["APPLIED", "VERIFIED"]) })),
  })
  .meta({ id: "Server" });

const ZHotfixApplication = z.object({
  server: z.string(),
  role: ZRole,
  state: ZApplicationState,
  appliedAt: ZDateTime,
  verifiedAt: ZDateTime.nullable().meta({
    description: "When the apply was verified; for an UNAPPLIED one, when the unapply was.",
  }),
  unappliedAt: ZDateTime.nullable(),
  restartCommand: z.string(),
  restartExit: z.int().nullable().meta({ description: "For an UNAPPLIED one, the unapply's." }),
  error: z.string().nullable(),
});

export const ZHotfix = z
  .object({
    name: z.string(),
    fileName: z.string(),
    state: z.enum(["UPLOADED", "RELEASED"]),
    product: z.string(),
    version: z.string(),
    component: z.enum(HOTFIX_COMPONENTS),
    description: z.string(),
    issue: z.string(),
    sha256: ZSha256,
    bytes: z.int().min(0),
    files: z.array(
      z.object({ path: z.string(), sha256Before: ZSha256.nullable(), sha256After: ZSha256 }),
    ),
    uploadedBy: z.string(),
    uploadedAt: ZDateTime,
    release: z.object({ by: z.string(), fingerprint: z.string(), at: ZDateTime }).nullable(),
    applications: z
      .array(ZHotfixApplication)
      .meta({ description: "One per server, its latest application (or failed attempt)." }),
  })
  .meta({ id: "Hotfix" });

export const ZHotfixServerStatus = z
  .object({
    hotfix: ZHotfix,
    server: z.object({ slug: z.string(), role: ZRole, product: z.string(), version: z.string() }),
    state: ZApplicationState.nullable(),
    mayApply: z.discriminatedUnion("ok", [
      z.object({ ok: z.literal(true), first: z.boolean() }),
      z.object({ ok: z.literal(false), code: z.enum(REFUSALS), reason: z.string() }),
    ]),
    mayUnapply: z.discriminatedUnion("ok", [
      z.object({ ok: z.literal(true) }),
      z.object({ ok: z.literal(false), reason: z.string() }),
    ]),
  })
  .meta({ id: "HotfixServerStatus" });

const E404 = error("NOT_FOUND: no such hotfix (deleted ones are gone) or server.");
const E409 = error(
  "CONFLICT: the staged rule or the hotfix's state refuses this; the message says why.",
);
const hotfixAnswer = (status: string, description: string) => ({
  [status]: json(description, ZHotfix),
});

export const HOTFIX_PATHS = {
  "/api/v1/servers": {
    get: {
      summary: "Every server, its role and version, and the hotfixes applied on it (H2)",
      responses: {
        "200": json("The servers by slug.", z.array(ZServer)),
        "401": E401,
        "403": forbiddenWithout("hotfix:read"),
      },
    },
    post: {
      summary: "Add a server (critical admins and admins)",
      requestBody: jsonBody(ZAddServer),
      responses: {
        "201": json("The server.", ZServer),
        "400": E400,
        "401": E401,
        "403": E403,
        "409": error("CONFLICT: a server with this slug exists."),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/hotfixes": {
    get: {
      summary: "Every hotfix not deleted, newest first (H1)",
      responses: {
        "200": json("The hotfixes.", z.array(ZHotfix)),
        "401": E401,
        "403": forbiddenWithout("hotfix:read"),
      },
    },
    post: {
      summary: "Upload a hotfix file (critical admins); its own file name is parsed",
      requestBody: {
        required: true,
        content: { "multipart/form-data": { schema: ZHotfixUploadForm } },
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
      requestParams: { path: ZHotfixParams },
      responses: {
        ...hotfixAnswer("200", "The hotfix."),
        "400": E400,
        "401": E401,
        "403": forbiddenWithout("hotfix:read"),
        "404": E404,
      },
    },
    delete: {
      summary: "Delete a hotfix applied nowhere (H5)",
      requestParams: { path: ZHotfixParams },
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
      requestParams: { path: ZHotfixParams },
      responses: {
        "200": gzip("The file; `x-sha256` is its SHA-256."),
        "400": E400,
        "401": E401,
        "403": forbiddenWithout("hotfix:read"),
        "404": E404,
      },
    },
  },
  "/api/v1/hotfixes/{name}/evidence": {
    get: {
      summary: "The hotfix's evidence bundle, sealed by the portal key, for `patchgate verify`",
      requestParams: { path: ZHotfixParams },
      responses: {
        "200": gzip("application/gzip: the bundle."),
        "400": E400,
        "401": E401,
        "403": forbiddenWithout("hotfix:read"),
        "404": E404,
      },
    },
  },
  "/api/v1/hotfixes/{name}/statement": {
    get: {
      summary: "The hotfix-release or hotfix-verify statement to sign",
      requestParams: { path: ZHotfixParams, query: ZHotfixStatementQuery },
      responses: {
        "200": statementIssued("The statement: sign exactly these bytes."),
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
      requestParams: { path: ZHotfixParams },
      requestBody: jsonBody(ZSignedStatement),
      responses: {
        ...hotfixAnswer("201", "Recorded."),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
        "413": E413_JSON,
        "422": error("SIGNATURE_REFUSED: the statement or its signature is not acceptable."),
      },
    },
  },
  "/api/v1/hotfixes/{name}/servers/{slug}": {
    get: {
      summary:
        "May this hotfix go on (or come off) this server now, and why not (asked by the CLI)",
      requestParams: { path: ZHotfixServerParams },
      responses: {
        "200": json("The answer.", ZHotfixServerStatus),
        "400": E400,
        "401": E401,
        "403": forbiddenWithout("hotfix:read"),
        "404": E404,
      },
    },
  },
  "/api/v1/hotfixes/{name}/servers/{slug}/applications": {
    post: {
      summary: "The CLI's report of an apply: APPLIED with the new checksums, or FAILED with why",
      requestParams: { path: ZHotfixServerParams },
      requestBody: jsonBody(ZReportApplication),
      responses: {
        ...hotfixAnswer("201", "Recorded."),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/hotfixes/{name}/servers/{slug}/unapply": {
    post: {
      summary: "The CLI's report that it restored the server's original files",
      requestParams: { path: ZHotfixServerParams },
      requestBody: { content: { "application/json": { schema: ZReportUnapply } } },
      responses: {
        ...hotfixAnswer("200", "Recorded."),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
        "413": E413_JSON,
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
