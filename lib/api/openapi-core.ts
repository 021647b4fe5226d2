// The core operations of the OpenAPI document (patches, deployments, me, systems, health);
// openapi.ts assembles the document.

import { PATCH_STATES } from "../domain/patch-state";
import { E400, E401, E403, error, json, ref } from "./openapi-parts";

const E404 = error("NOT_FOUND: no such patch (or revision, or deployment record).");

/** What both ways of asking for a statement answer. */
const STATEMENT_ISSUED = {
  "200": {
    description: "The statement.",
    headers: {
      "X-Statement-Expires-At": { schema: { type: "string", format: "date-time" } },
      "X-Key-Fingerprint": { schema: { type: "string" } },
    },
    content: { "text/plain; charset=utf-8": { schema: { type: "string" } } },
  },
  "400": E400,
  "401": E401,
  "403": E403,
  "404": E404,
};
const E409 = error("CONFLICT: the object is not in the state the change expects.");
const E413 = error("PAYLOAD_TOO_LARGE: the body is above MAX_DIFF_BYTES plus 64 KiB for the form.");

const patchId = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", minLength: 1, maxLength: 64 },
  description:
    "The patch's id (not its number); a longer one, control characters or bidi controls are a 400, as in every typed field.",
};
const stepNumber = {
  name: "n",
  in: "path",
  required: true,
  schema: { type: "integer", minimum: 1, maximum: 13 },
};

const submitFields = {
  system: { type: "string", description: "The target system's slug." },
  title: { type: "string", minLength: 3, maxLength: 200 },
  summary: { type: "string", maxLength: 10000 },
  bugId: { type: "string", pattern: "^[0-9A-Za-z#._-]{1,32}$" },
  bugSummary: {
    type: "string",
    maxLength: 300,
    description: "The bug's short description; it goes into the commit message.",
  },
  diff: {
    type: "string",
    format: "binary",
    description: "The unified diff, as a file part; stored byte for byte.",
  },
};

export const CORE_PATHS = {
  "/api/health": {
    get: {
      summary: "PostgreSQL, Redis and worker health (db and redis decide the status)",
      security: [],
      responses: {
        "200": json("Both answer.", ref("Health")),
        "503": json("One is down.", ref("Health")),
      },
    },
  },
  "/api/v1/openapi.json": {
    get: {
      summary: "This document",
      security: [],
      responses: { "200": json("The OpenAPI 3.1 document.", { type: "object" }) },
    },
  },
  "/api/v1/patches": {
    get: {
      summary: "List patches, newest first",
      parameters: [
        { name: "state", in: "query", schema: ref("PatchState") },
        {
          name: "system",
          in: "query",
          schema: { type: "string" },
          description: "A target system's slug.",
        },
        {
          name: "before",
          in: "query",
          schema: { type: "integer", minimum: 1 },
          description: "Keyset cursor: `nextBefore` of the previous page.",
        },
        {
          name: "limit",
          in: "query",
          schema: { type: "integer", minimum: 1, maximum: 100, default: 25 },
        },
      ],
      responses: {
        "200": json("One page.", {
          type: "object",
          required: ["patches", "nextBefore"],
          properties: {
            patches: { type: "array", items: ref("PatchSummary") },
            nextBefore: { type: ["integer", "null"] },
          },
        }),
        "400": E400,
        "401": E401,
      },
    },
    post: {
      summary: "Submit a patch (P1)",
      description:
        "The diff is parsed as data and refused, with nothing stored, when it is not a unified diff, has an absolute or `..` path, is binary, empty, or too large. The patch starts as DRAFT until its author signs the `submit` statement.",
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: Object.keys(submitFields),
              properties: submitFields,
            },
          },
        },
      },
      responses: {
        "201": json("Created.", {
          type: "object",
          properties: {
            id: { type: "string" },
            number: { type: "integer" },
            revision: { type: "integer" },
            diffSha256: ref("Sha256"),
            state: ref("PatchState"),
          },
        }),
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
      parameters: [patchId],
      responses: {
        "200": json("The patch.", ref("Patch")),
        "400": E400,
        "401": E401,
        "404": E404,
      },
    },
  },
  "/api/v1/patches/{id}/revisions": {
    post: {
      summary: "Upload a new revision",
      description:
        "Revision n+1 becomes current; every sign-off of an older revision stops counting (still shown, `superseded: true`).",
      parameters: [patchId],
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["diff"],
              properties: { diff: submitFields.diff },
            },
          },
        },
      },
      responses: {
        "201": json("Created.", {
          type: "object",
          properties: {
            id: { type: "string" },
            revision: { type: "integer" },
            diffSha256: ref("Sha256"),
            state: ref("PatchState"),
          },
        }),
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
      parameters: [
        patchId,
        {
          name: "revision",
          in: "query",
          schema: { type: "integer", minimum: 1 },
          description: "Default: the current revision.",
        },
      ],
      responses: {
        "200": {
          description: "The diff.",
          headers: {
            "X-Diff-SHA256": { schema: ref("Sha256") },
            "X-Revision": { schema: { type: "integer" } },
          },
          content: { "text/x-diff": { schema: { type: "string", format: "binary" } } },
        },
        "400": E400,
        "401": E401,
        "404": E404,
      },
    },
  },
  "/api/v1/patches/{id}/statement": {
    get: {
      summary: "The statement to sign, with a fresh single-use nonce",
      description:
        "The body is exactly the bytes to sign with a detached signature (docs/statements.md). It is issued only when the caller may make this sign-off now, and expires after an hour.",
      parameters: [
        patchId,
        {
          name: "kind",
          in: "query",
          required: true,
          schema: { enum: ["submit", "review", "test", "request", "presence", "withdraw"] },
        },
        {
          name: "verdict",
          in: "query",
          schema: { enum: ["approve", "reject", "pass", "fail"] },
          description: "Required for review (approve|reject) and test (pass|fail).",
        },
        {
          name: "comment",
          in: "query",
          schema: { type: "string", maxLength: 4000 },
          description: "Becomes part of the signed text. Required for withdraw: it is the reason.",
        },
        {
          name: "key",
          in: "query",
          schema: { type: "string", pattern: "^[0-9A-Fa-f]{40}$" },
          description: "The fingerprint to sign with; default the newest registered key.",
        },
      ],
      responses: STATEMENT_ISSUED,
    },
    post: {
      summary: "The statement to sign, from a JSON body (a review with line comments)",
      description:
        "As GET, with the inputs in a JSON body. `lineComments` (review only) become numbered `line-comment-N` fields of the signed text; each names a file of the current revision's diff and a line of its hunks (the new file's line number; the old one's in a deleted file). At most 50, each at most 1000 characters. A file or line not in the diff is a 400 and no statement is issued.",
      parameters: [patchId],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["kind"],
              properties: {
                kind: { enum: ["submit", "review", "test", "request", "presence"] },
                verdict: { enum: ["approve", "reject", "pass", "fail"] },
                comment: { type: "string", maxLength: 4000 },
                keyFingerprint: { type: "string", pattern: "^[0-9A-Fa-f]{40}$" },
                lineComments: {
                  type: "array",
                  maxItems: 50,
                  items: {
                    type: "object",
                    required: ["file", "line", "text"],
                    properties: {
                      file: {
                        type: "string",
                        description: "The path as the diff names it, without a/ or b/.",
                      },
                      line: { type: "integer", minimum: 1 },
                      text: { type: "string", maxLength: 1000 },
                    },
                  },
                },
              },
            },
          },
        },
      },
      responses: STATEMENT_ISSUED,
    },
  },
  "/api/v1/patches/{id}/signoffs": {
    post: {
      summary: "Record a signed statement (sign-off, visit presence, withdraw or deployment step)",
      description:
        "A refused statement changes nothing. `presence` statements are recorded on the open signing-server deployment. A `withdraw` (by the author or an assessor, of a patch not deployed or being deployed) sets the patch WITHDRAWN; its comment is the reason. `step` statements tick or decide a deployment step.",
      parameters: [patchId],
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
        "201": json("Recorded.", ref("SignoffReceipt")),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error(
          "CONFLICT: a second vote by the same person in a gate of this revision, or the statement names a stale revision.",
        ),
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
      parameters: [patchId],
      responses: {
        "200": {
          description: "The dossier.",
          headers: { "X-Content-SHA256": { schema: ref("Sha256") } },
          content: { "application/gzip": { schema: { type: "string", format: "binary" } } },
        },
        "400": E400,
        "401": E401,
        "404": E404,
      },
    },
  },
  "/api/v1/patches/{id}/deployment": {
    post: {
      summary: "Open the deployment record of a requested patch (critical admin)",
      parameters: [patchId],
      responses: {
        "201": json("Opened.", {
          type: "object",
          properties: {
            id: { type: "string" },
            patchId: { type: "string" },
            procedure: { enum: ["WEBDB", "SIGNING_SERVER"] },
            state: { type: "string" },
            openedAt: { type: "string", format: "date-time" },
          },
        }),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
      },
    },
  },
  "/api/v1/patches/{id}/deployment/steps/{n}/statement": {
    post: {
      summary: "The `step` statement that ticks step n with this evidence (X1)",
      description:
        "Issued only when the caller may tick step n now: a critical admin who did not write, upload, review, test or request the patch (X3), steps in order, on the signing server present at the visit and after the decisions on 3–7. Evidence per step: 3 `{ checksumMatched: true }`; 4 `{ assessment, webServerStopped }`; 5 `{ output, result: clean|failed }`, and when failed `backOutOutput` or `nothingChanged: true`, plus `webServerRunning: true` if step 4 stopped the service (P5); 6 `{ commitMessage }`; 7 `{ tarball, tarballSha256 }` or `{ sha256sum }` (the line `sha256sum` printed on the production server; step 13 mirrors only bytes with that hash); the last applicable step `{ webServerRunning: true }` when step 4 stopped the service; others `{ note? }`. Sign the statement detached and post it to .../signoffs; a failed apply stops the record and sends the patch to rework.",
      parameters: [patchId, stepNumber],
      requestBody: {
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                evidence: { type: "object", default: {} },
                keyFingerprint: { type: "string", description: "Default: the newest key." },
              },
            },
          },
        },
      },
      responses: {
        "200": json("The statement to sign.", ref("IssuedStatement")),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
      },
    },
  },
  "/api/v1/patches/{id}/deployment/notification": {
    get: {
      summary: "The notification's MIME part, to sign (P7)",
      description:
        "Once every step by hand is done, the exact bytes of the MIME part of the notification to the system-log list (RFC 3156 canonical form: its own Content-Type and Content-Transfer-Encoding headers, quoted-printable, 7-bit, CRLF line ends). Save them unchanged and sign them: `gpg --armor --detach-sign notification.eml`. The worker sends this part with your signature as PGP/MIME once POST records it. Critical admins only; on the signing server, one present at the visit.",
      parameters: [
        patchId,
        {
          name: "key",
          in: "query",
          schema: { type: "string", pattern: "^[0-9A-Fa-f]{40}$" },
          description:
            "The fingerprint the X-Key-Fingerprint header should name; any of your keys may sign.",
        },
      ],
      responses: {
        "200": {
          description: "The MIME part, byte for byte.",
          headers: {
            "X-Part-Sha256": { schema: ref("Sha256") },
            "X-Key-Fingerprint": { schema: { type: "string" } },
          },
          content: {
            "application/octet-stream": { schema: { type: "string", format: "binary" } },
          },
        },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error("CONFLICT: the notification was already signed."),
      },
    },
    post: {
      summary: "Record your signature on the notification; queues steps 10–13 (P7)",
      description:
        "The server rebuilds the part, verifies the detached signature against your registered keys (SHA-256 or stronger) and only then stores it and queues the worker steps. A refused signature writes nothing.",
      parameters: [patchId],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["signature"],
              properties: {
                signature: {
                  type: "string",
                  description: "The ASCII-armored detached signature over the bytes GET returned.",
                },
              },
            },
          },
        },
      },
      responses: {
        "201": json("Recorded; the worker sends the mail.", {
          type: "object",
          properties: {
            deploymentId: { type: "string" },
            fingerprint: { type: "string" },
            partSha256: ref("Sha256"),
            receivedAt: { type: "string", format: "date-time" },
          },
        }),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error("CONFLICT: already signed, or the part changed while you signed it."),
        "422": error(
          "SIGNATURE_REFUSED: not a detached armored signature, made over other bytes, by a key that is not one of yours, or with a hash weaker than SHA-256.",
        ),
      },
    },
  },
  "/api/v1/patches/{id}/deployment/steps/{n}/applicability/statement": {
    post: {
      summary:
        "Signing server: the `step` statement deciding whether step n (3–7) applies, with a reason",
      parameters: [patchId, stepNumber],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["applicable", "reason"],
              properties: {
                applicable: { type: "boolean" },
                reason: { type: "string", minLength: 3 },
                keyFingerprint: { type: "string" },
              },
            },
          },
        },
      },
      responses: {
        "200": json("The statement to sign.", ref("IssuedStatement")),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
      },
    },
  },
};

export const CORE_SCHEMAS = {
  Health: {
    type: "object",
    required: ["db", "redis", "worker"],
    properties: {
      db: { enum: ["ok", "down"] },
      redis: { enum: ["ok", "down"] },
      worker: { enum: ["ok", "stale"] },
    },
  },
  Sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
  PatchState: { enum: [...PATCH_STATES] },
  Person: {
    type: ["object", "null"],
    properties: { id: { type: "string" }, name: { type: "string" }, email: { type: "string" } },
  },
  PatchSummary: {
    type: "object",
    required: ["id", "number", "title", "state", "revision", "system", "updatedAt"],
    properties: {
      id: { type: "string" },
      number: { type: "integer" },
      title: { type: "string" },
      state: ref("PatchState"),
      revision: { type: "integer" },
      system: { type: "string" },
      bugId: { type: "string" },
      author: { type: "string" },
      updatedAt: { type: "string", format: "date-time" },
      steps: {
        type: ["object", "null"],
        description:
          "Deployment progress of the current revision, once its record is opened; else null.",
      },
    },
  },
  Gate: {
    type: "object",
    properties: { have: { type: "integer" }, need: { type: "integer" } },
  },
  Signoff: {
    type: "object",
    properties: {
      id: { type: "string" },
      kind: { enum: ["submit", "review", "test", "request"] },
      verdict: { enum: ["submit", "approve", "reject", "pass", "fail", "request"] },
      signer: ref("Person"),
      fingerprint: { type: "string" },
      key: {
        type: "object",
        description:
          "The signing key as it stands now. A sign-off received before `revokedAt` still counts; `matchesAccount` false means none of the key's user IDs carries the signer's address.",
        properties: {
          revokedAt: { type: ["string", "null"], format: "date-time" },
          revocationReason: { type: ["string", "null"] },
          matchesAccount: { type: "boolean" },
        },
      },
      revision: { type: "integer" },
      superseded: {
        type: "boolean",
        description: "Signed an older revision: shown, no longer counted.",
      },
      comment: { type: ["string", "null"] },
      time: { type: "string", format: "date-time", description: "The server's receipt time." },
      statementId: { type: "string" },
      lineComments: {
        type: "array",
        description: "A review's signed line comments, in the statement's order.",
        items: {
          type: "object",
          properties: {
            file: { type: "string" },
            line: { type: "integer" },
            text: { type: "string" },
          },
        },
      },
    },
  },
  IssuedStatement: {
    type: "object",
    properties: {
      statement: { type: "string", description: "Exactly the bytes to sign." },
      nonce: { type: "string" },
      expiresAt: { type: "string", format: "date-time" },
      keyFingerprint: { type: "string" },
    },
  },
  SignoffReceipt: {
    type: "object",
    properties: {
      id: { type: "string" },
      kind: { enum: ["submit", "review", "test", "request", "presence", "withdraw", "step"] },
      verdict: { type: "string" },
      reason: { type: "string", description: "withdraw only: the signed reason." },
      role: {
        type: "string",
        description: "presence only: CRITICAL_ADMIN or ACCESS_ENGINEER.",
      },
      type: {
        enum: ["tick", "decision"],
        description:
          "step only: a tick (with number, status DONE|FAILED, evidence, state) or a decision (number, applicable, reason).",
      },
      revision: { type: "integer" },
      fingerprint: { type: "string" },
      receivedAt: { type: "string", format: "date-time" },
      state: ref("PatchState"),
    },
  },
  Patch: {
    type: "object",
    required: ["id", "number", "title", "state", "revision", "signoffs", "gates"],
    properties: {
      id: { type: "string" },
      number: { type: "integer" },
      title: { type: "string" },
      summary: { type: "string" },
      bugId: { type: "string" },
      bugSummary: { type: "string" },
      state: ref("PatchState"),
      revision: { type: "integer" },
      diffSha256: ref("Sha256"),
      createdAt: { type: "string", format: "date-time" },
      author: ref("Person"),
      system: {
        type: "object",
        properties: {
          slug: { type: "string" },
          name: { type: "string" },
          procedure: { type: "string" },
          reviewsRequired: { type: "integer" },
          testsRequired: { type: "integer" },
        },
      },
      policy: {
        description:
          "The policy the gates count under: the one in force when the current revision's request was signed, else the system's of today.",
      },
      may: {
        type: "object",
        description:
          "What the caller may sign or do now, from the same rules the server checks: the patch page offers exactly these.",
        properties: {
          submit: { type: "boolean" },
          review: { type: "array", items: { enum: ["APPROVE", "REJECT"] } },
          test: { type: "array", items: { enum: ["PASS", "FAIL"] } },
          request: { type: "boolean" },
          revise: { type: "boolean" },
          withdraw: { type: "boolean" },
        },
      },
      withdrawal: {
        type: ["object", "null"],
        description: "The signed withdraw, once the patch is withdrawn.",
        properties: {
          by: ref("Person"),
          reason: { type: "string" },
          fingerprint: { type: "string" },
          time: { type: "string", format: "date-time" },
          statementId: { type: "string" },
        },
      },
      revisions: {
        type: "array",
        items: {
          type: "object",
          properties: {
            number: { type: "integer" },
            diffSha256: ref("Sha256"),
            sizeBytes: { type: "integer" },
            fileCount: { type: "integer" },
            uploadedBy: ref("Person"),
            createdAt: { type: "string" },
          },
        },
      },
      signoffs: { type: "array", items: ref("Signoff") },
      gates: { type: "object", properties: { reviews: ref("Gate"), tests: ref("Gate") } },
      blocked: {
        type: "boolean",
        description:
          "A reject or fail on the current revision blocks the patch until a new revision.",
      },
      deployment: {
        type: ["object", "null"],
        properties: {
          id: { type: "string" },
          state: { enum: ["OPEN", "COMPLETED", "FAILED"] },
          procedure: { type: "string" },
          openedAt: { type: "string", format: "date-time" },
          visit: {
            type: "object",
            description: "Signing server: who signed presence, and whether the quorum is met.",
          },
          steps: {
            type: "array",
            items: {
              type: "object",
              properties: {
                number: { type: "integer" },
                key: { type: "string" },
                title: { type: "string" },
                applicability: { type: "string" },
                applicable: { type: "boolean" },
                applicabilityReason: { type: ["string", "null"] },
                status: { type: "string" },
                doneBy: ref("Person"),
                doneAt: { type: ["string", "null"] },
                signedWith: {
                  type: ["string", "null"],
                  description: "The key that signed the tick (X1); null for worker steps.",
                },
                evidence: { type: ["object", "null"] },
              },
            },
          },
        },
      },
    },
  },
};
