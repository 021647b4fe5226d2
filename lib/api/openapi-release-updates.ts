// The release-update record operations of the OpenAPI document (S1–S3:
// templates, records, submitting, statements and sign-offs;
// docs/release-updates.md "API"); openapi.ts merges them in. Requests are the
// schemas the routes and their use-cases parse with; answers are
// release-update-responses.ts.
import { z } from "zod";
import type { ZodOpenApiPathsObject, ZodOpenApiResponsesObject } from "zod-openapi";
import { ZTemplateParams, ZUpdateParams } from "./release-update-params";
import { ZReleaseUpdate, ZReleaseUpdateSummary, ZUpdateTemplate } from "./release-update-responses";
import { E400, E401, E413_JSON, error, json, jsonBody, statementIssued } from "./openapi-parts";
import { ZReplaceTemplate, ZSaveTemplate } from "../server/release-updates/templates";
import { ZCreateUpdate } from "../server/release-updates/create-update";
import { ZEditUpdateBody } from "../server/release-updates/edit-update";
import { ZListUpdates } from "../server/release-updates/update-facts";
import {
  ZIssueUpdateStatementBody,
  ZSignedUpdateStatement,
  ZUpdateStatementQuery,
} from "../server/release-updates/update-statements";

const E404 = error("NOT_FOUND: no such release update (or template, or target system).");
const E403 = error(
  "FORBIDDEN: the token has the read scope, or the actor's roles do not allow this (update:read, update:submit, update:review, update:verify, update:manage), or separation of duties refuses it: the record's creator and the current revision's submitter never review, acknowledge or verify it.",
);
const E409 = error(
  "CONFLICT: the record is not in the state this needs (reviews and acknowledgements: SUBMITTED; verification: APPROVED; submitting: DRAFT), the statement is about a revision an edit voided or about an earlier one, the record or its evidence changed since the statement was issued, this person already reviewed this revision, or this change was already acknowledged.",
);

const STATEMENT_ISSUED = {
  "200": statementIssued("The statement: sign exactly these bytes."),
  "400": error(
    "VALIDATION: a bad kind or verdict; update-submit while a TODO remains (`error.details.todos` lists each: section, line, text); update-major-ack naming no change or a compatible one; update-verify without a target series, without a version for every package (`error.details.missing`), a pass while a check is not ok (`error.details.missingChecks`), or a fail without a comment; a rejection without a comment.",
  ),
  "401": E401,
  "403": E403,
  "404": E404,
  "409": E409,
  "422": error("KEY_REFUSED: no registered key can sign."),
} satisfies ZodOpenApiResponsesObject;

const RECORDED = (what: string) =>
  ({
    "201": json(`${what}: the record as GET /api/v1/updates/{id} answers.`, ZReleaseUpdate),
    "400": error(
      "VALIDATION: not an update statement, a statement about another update, or a rule of its kind (update-submit: `error.details.todos` lists every TODO left, checked before anything else).",
    ),
    "401": E401,
    "403": E403,
    "404": E404,
    "409": E409,
    "413": E413_JSON,
    "422": error("SIGNATURE_REFUSED: the statement or its signature is not acceptable."),
  }) satisfies ZodOpenApiResponsesObject;

export const RELEASE_UPDATE_PATHS = {
  "/api/v1/update-templates": {
    get: {
      summary: "The release-update templates (update:read)",
      responses: {
        "200": json("The templates, by name.", z.array(ZUpdateTemplate)),
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Create a template (admins: update:manage)",
      requestBody: jsonBody(ZSaveTemplate),
      responses: {
        "201": json("Created.", ZUpdateTemplate),
        "400": E400,
        "401": E401,
        "403": E403,
        "409": error("CONFLICT: a template with this slug exists (change it with PUT)."),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/update-templates/{slug}": {
    get: {
      summary: "One template with its sections and TODOs",
      requestParams: { path: ZTemplateParams },
      responses: {
        "200": json("The template.", ZUpdateTemplate),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
      },
    },
    put: {
      summary: "Create or replace a template (admins: update:manage); records keep their text",
      requestParams: { path: ZTemplateParams },
      requestBody: jsonBody(ZReplaceTemplate),
      responses: {
        "200": json("Replaced.", ZUpdateTemplate),
        "201": json("Created.", ZUpdateTemplate),
        "400": E400,
        "401": E401,
        "403": E403,
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/updates": {
    get: {
      summary: "The release-update records, newest first, with their tags",
      requestParams: { query: ZListUpdates },
      responses: {
        "200": json("The records.", z.array(ZReleaseUpdateSummary)),
        "400": E400,
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Create a record from a template (update:submit); its text is the template's",
      requestBody: jsonBody(ZCreateUpdate),
      responses: {
        "201": json("Created as a DRAFT.", ZReleaseUpdate),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/updates/{id}": {
    get: {
      summary:
        "The record: sections and TODOs, major changes, reviews, verification per series, tags",
      requestParams: { path: ZUpdateParams },
      responses: {
        "200": json("The record.", ZReleaseUpdate),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
      },
    },
    patch: {
      summary:
        "Edit: fill sections or replace the text, change the facts (update:submit); a submitted, approved or rejected record goes back to DRAFT and its revision is void",
      requestParams: { path: ZUpdateParams },
      requestBody: jsonBody(ZEditUpdateBody),
      responses: {
        "200": json("The record after the edit (unchanged when nothing differs).", ZReleaseUpdate),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error("CONFLICT: the record changed meanwhile; reload and edit again."),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/updates/{id}/submit": {
    post: {
      summary: "Record a signed update-submit: the text becomes the next revision (SUBMITTED)",
      requestParams: { path: ZUpdateParams },
      requestBody: jsonBody(ZSignedUpdateStatement),
      responses: RECORDED("Submitted"),
    },
  },
  "/api/v1/updates/{id}/statement": {
    get: {
      summary:
        "The update-submit, update-review, update-major-ack or update-verify statement to sign",
      requestParams: { path: ZUpdateParams, query: ZUpdateStatementQuery },
      responses: STATEMENT_ISSUED,
    },
    post: {
      summary: "The same statement from a JSON body",
      requestParams: { path: ZUpdateParams },
      requestBody: jsonBody(ZIssueUpdateStatementBody),
      responses: { ...STATEMENT_ISSUED, "413": E413_JSON },
    },
  },
  "/api/v1/updates/{id}/signoffs": {
    post: {
      summary: "Record a signed update statement of any of the four kinds",
      requestParams: { path: ZUpdateParams },
      requestBody: jsonBody(ZSignedUpdateStatement),
      responses: RECORDED("Recorded"),
    },
  },
} satisfies ZodOpenApiPathsObject;
