// Patches in the OpenAPI document: list, submit, read, revise, the diff, the
// statement to sign, sign-offs and the dossier (P1–P3, X1); openapi.ts merges it in.
import { z } from "zod";
import type { ZodOpenApiPathsObject, ZodOpenApiResponsesObject } from "zod-openapi";
import { ZListPatches } from "../server/patches/list-patches";
import { ZIssueStatementBody, ZIssueStatementQuery } from "../server/statements/issue-statement";
import { ZSignedStatement } from "../server/patches/record-signoff";
import { ZDiffQuery, ZPatchParams } from "./route-params";
import { ZRevisionForm, ZSubmitPatchForm } from "./patch-forms";
import {
  E400,
  E401,
  E403,
  E413_JSON,
  error,
  forbiddenWithout,
  json,
  jsonBody,
  statementIssued,
  ZBinary,
  ZSha256,
} from "./openapi-parts";
import {
  ZPatch,
  ZPatchCreated,
  ZPatchPage,
  ZRevisionCreated,
  ZSignoffReceipt,
} from "./patch-answers";

export const E404 = error("NOT_FOUND: no such patch (or revision, or deployment record).");
export const E409 = error("CONFLICT: the object is not in the state the change expects.");
const E413 = error("PAYLOAD_TOO_LARGE: the body is above MAX_DIFF_BYTES plus 64 KiB for the form.");
const E403_READ = forbiddenWithout("patch:read");

/** What both ways of asking for a statement answer. */
const STATEMENT_ISSUED: ZodOpenApiResponsesObject = {
  "200": statementIssued("The statement."),
  "400": E400,
  "401": E401,
  "403": E403,
  "404": E404,
  "409": error(
    "CONFLICT: the sign-off was already made (a revision already submitted, a request already signed, a patch already withdrawn).",
  ),
};

export const PATCH_PATHS = {
  "/api/v1/patches": {
    get: {
      summary: "List patches, newest first",
      requestParams: { query: ZListPatches },
      responses: {
        "200": json("One page.", ZPatchPage),
        "400": E400,
        "401": E401,
        "403": E403_READ,
      },
    },
    post: {
      summary: "Submit a patch (P1)",
      description:
        "The diff is parsed as data and refused, with nothing stored, when it is not a unified diff, has an absolute or `..` path, is binary, empty, or too large. The patch starts as DRAFT until its author signs the `submit` statement.",
      requestBody: {
        required: true,
        content: { "multipart/form-data": { schema: ZSubmitPatchForm } },
      },
      responses: {
        "201": json("Created.", ZPatchCreated),
        "400": E400,
        "401": E401,
        "403": E403,
        "413": E413,
      },
    },
  },
  "/api/v1/patches/{id}": {
    get: {
      summary: "One patch with its sign-offs, gates and deployment",
      requestParams: { path: ZPatchParams },
      responses: {
        "200": json("The patch.", ZPatch),
        "400": E400,
        "401": E401,
        "403": E403_READ,
        "404": E404,
      },
    },
  },
  "/api/v1/patches/{id}/revisions": {
    post: {
      summary: "Upload a new revision",
      description:
        "Revision n+1 becomes current; every sign-off of an older revision stops counting (still shown, `superseded: true`).",
      requestParams: { path: ZPatchParams },
      requestBody: {
        required: true,
        content: { "multipart/form-data": { schema: ZRevisionForm } },
      },
      responses: {
        "201": json("Created.", ZRevisionCreated),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
        "413": E413,
      },
    },
  },
  "/api/v1/patches/{id}/diff": {
    get: {
      summary: "The exact bytes of a revision's diff",
      requestParams: { path: ZPatchParams, query: ZDiffQuery },
      responses: {
        "200": {
          description: "The diff.",
          headers: z.object({ "X-Diff-SHA256": ZSha256, "X-Revision": z.number().int() }),
          content: { "text/x-diff": { schema: ZBinary } },
        },
        "400": E400,
        "401": E401,
        "403": E403_READ,
        "404": E404,
      },
    },
  },
  "/api/v1/patches/{id}/statement": {
    get: {
      summary: "The statement to sign, with a fresh single-use nonce",
      description:
        "The body is exactly the bytes to sign with a detached signature (docs/statements.md). It is issued only when the caller may make this sign-off now, and expires after an hour.",
      requestParams: { path: ZPatchParams, query: ZIssueStatementQuery },
      responses: STATEMENT_ISSUED,
    },
    post: {
      summary: "The statement to sign, from a JSON body (a review with line comments)",
      description:
        "As GET, with the inputs in a JSON body. `lineComments` (review only) become numbered `line-comment-N` fields of the signed text; each names a file of the current revision's diff and a line of its hunks (the new file's line number; the old one's in a deleted file). At most 50, each at most 1000 characters. A file or line not in the diff is a 400 and no statement is issued.",
      requestParams: { path: ZPatchParams },
      requestBody: jsonBody(ZIssueStatementBody),
      responses: { ...STATEMENT_ISSUED, "413": E413_JSON },
    },
  },
  "/api/v1/patches/{id}/signoffs": {
    post: {
      summary: "Record a signed statement (sign-off, visit presence, withdraw or deployment step)",
      description:
        "A refused statement changes nothing. `presence` statements are recorded on the open signing-server deployment. A `withdraw` (by the author or an assessor, of a patch not deployed or being deployed) sets the patch WITHDRAWN; its comment is the reason. `step` statements tick or decide a deployment step.",
      requestParams: { path: ZPatchParams },
      requestBody: jsonBody(ZSignedStatement),
      responses: {
        "201": json("Recorded.", ZSignoffReceipt),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error(
          "CONFLICT: a second vote by the same person in a gate of this revision, or the statement names a stale revision.",
        ),
        "413": E413_JSON,
        "422": error(
          "SIGNATURE_REFUSED: bad or mismatching signature, a statement not issued to this user or modified, a reused nonce, a key that is not the caller's, or a statement of another patch.",
        ),
      },
    },
  },
  "/api/v1/patches/{id}/evidence": {
    get: {
      summary: "The dossier (X1), verifiable offline",
      description:
        "A .tar.gz with every revision's diff, every statement beside its detached signature, the signers' public keys, the patch's audit events with the hashes that chain them to the head, manifest.json (each key's account, each signer's roles at receipt, the audit head, every file's SHA-256), manifest.json.asc (the portal key's detached signature over it) and VERIFY.md. Check it against the key from GET /api/portal-key, not the dossier's: `npx patchgate verify DOSSIER --portal-key portal-key.asc`, or gpg.",
      requestParams: { path: ZPatchParams },
      responses: {
        "200": {
          description: "The dossier.",
          headers: z.object({ "X-Content-SHA256": ZSha256 }),
          content: { "application/gzip": { schema: ZBinary } },
        },
        "400": E400,
        "401": E401,
        "403": E403_READ,
        "404": E404,
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
