// Emergencies and disputes in the OpenAPI document (issue 18, docs/emergencies.md
// "API"): the request schemas the routes parse with, the answers' schemas from
// lib/api/emergency-answers.ts; openapi.ts merges it in.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ZDisputeParams, ZEmergencyParams } from "./route-params";
import {
  ZDeclareEmergency,
  ZEmergencySignoffBody,
  ZEmergencyStatementBody,
  ZResponderBody,
  ZRulingStatementBody,
  ZSignedStatement,
} from "./emergency-requests";
import {
  ZDispute,
  ZDisputeSummary,
  ZEmergency,
  ZEmergencyResponder,
  ZEmergencySignoff,
  ZEmergencySummary,
  ZRuling,
} from "./emergency-answers";
import { E400, E401, E403, error, json, jsonBody, statementIssued } from "./openapi-parts";

const E404_EMERGENCY = error("NOT_FOUND: no emergency with this number.");
const E404_DISPUTE = error("NOT_FOUND: no dispute with this number.");
const E413 = error(
  "PAYLOAD_TOO_LARGE: the body, or the diff in it, is larger than the limit (twice MAX_DIFF_BYTES plus 5 MiB for the body; MAX_DIFF_BYTES for the diff).",
);
const E422 = error(
  "SIGNATURE_REFUSED: a bad or mismatching signature, a statement not issued to the caller or modified, a reused or expired nonce, a key that is not the caller's, or a statement of another emergency (dispute) than the URL's.",
);

const FORBIDDEN_ISSUE = error(
  "FORBIDDEN: a read-scoped token, the caller's roles or part in the emergency refuse this step (the ladder's ROLE rule, not the team's named responder, took part in the emergency for a ruling), or the caller has no registered key that may sign (or `keyFingerprint` names none).",
);
const FORBIDDEN_STEP = error(
  "FORBIDDEN: a read-scoped token, or the caller's roles or part in the emergency refuse this step (the ladder's ROLE rule, not the team's responder, took part in the emergency for a ruling).",
);

export const EMERGENCY_PATHS = {
  "/api/v1/emergencies": {
    get: {
      summary: "The emergencies, newest first (needs patch:read)",
      responses: {
        "200": json("Up to 200 emergencies.", z.array(ZEmergencySummary)),
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Declare an emergency (E1; needs emergency:declare: critical admins and assessors)",
      description:
        "The 24-hour clock starts now and every team is told. `system` is a target system's slug.",
      requestBody: jsonBody(ZDeclareEmergency),
      responses: {
        "201": json("Declared.", ZEmergency),
        "400": error("VALIDATION: invalid fields, or no target system with this slug."),
        "401": E401,
        "403": E403,
        "413": error("PAYLOAD_TOO_LARGE: the body is larger than 1 MiB."),
      },
    },
  },
  "/api/v1/emergencies/{number}": {
    get: {
      summary: "One emergency with its whole record and the caller's next steps (needs patch:read)",
      requestParams: { path: ZEmergencyParams },
      responses: {
        "200": json("The emergency.", ZEmergency),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404_EMERGENCY,
      },
    },
  },
  "/api/v1/emergencies/{number}/responders": {
    post: {
      summary: "Name a team's responder (E2; needs emergency:respond)",
      description:
        "By a member of that team or by whoever declared; the person must hold the team's role. Renaming is allowed until the responder acknowledges standby.",
      requestParams: { path: ZEmergencyParams },
      requestBody: jsonBody(ZResponderBody),
      responses: {
        "201": json("Named.", ZEmergencyResponder),
        "400": error(
          "VALIDATION: invalid fields, or the person is no approved holder of the team's role.",
        ),
        "401": E401,
        "403": error(
          "FORBIDDEN: a read-scoped token, the caller's roles, or neither a member of the team nor the declarer.",
        ),
        "404": E404_EMERGENCY,
        "409": error(
          "CONFLICT: the emergency is over, or the responder already acknowledged standby.",
        ),
        "413": error("PAYLOAD_TOO_LARGE: the body is larger than 1 MiB."),
      },
    },
  },
  "/api/v1/emergencies/{number}/statement": {
    post: {
      summary:
        "The statement to sign for one emergency step: acknowledge, a ladder move, or a ruling (needs emergency:respond; a ruling dispute:rule)",
      description:
        "The body is exactly the bytes to sign. Each kind takes what the page asks for: `team` (acknowledge, team-unreachable), `gate` and `verdict` (option 1's gates; review-1 also `develCommit`, `testServer`), `as` (option3-declaration), `granteeId` (session-opened), `diff` (option1-patch, option2-patch, session-disabled) and `log` (session-disabled) as JSON strings, `bugId`/`bugSummary` (option1-patch), `disputeId` and `verdict` (ruling). `comment` is the reason the ladder asks for. The ladder's refusals name their rule (E3–E7).",
      requestParams: { path: ZEmergencyParams },
      requestBody: jsonBody(ZEmergencyStatementBody),
      responses: {
        "200": statementIssued("The statement."),
        "400": error(
          "VALIDATION: invalid fields, or what the step needs is missing (a reason, an attachment, a verdict, an approved grantee).",
        ),
        "401": E401,
        "403": FORBIDDEN_ISSUE,
        "404": error("NOT_FOUND: no emergency with this number, or no such dispute of it."),
        "409": error(
          "CONFLICT: the ladder refuses the step now (its state, the order of option 1's gates, what must come first, a step already made), the emergency is over, or the dispute is ruled.",
        ),
        "413": E413,
      },
    },
  },
  "/api/v1/emergencies/{number}/signoffs": {
    post: {
      summary: "Record a signed emergency statement: acknowledgement, ladder move or ruling",
      description:
        "`{ statement, signature }` with the attachments the statement names (`diff`, `log`, and for option1-patch `bugId`, `bugSummary`), as issued. The step is checked again under the emergency's lock; a refused one changes nothing. Option 2's deploy and option 3's second declaration file their dispute (its id is in the answer).",
      requestParams: { path: ZEmergencyParams },
      requestBody: jsonBody(ZEmergencySignoffBody),
      responses: {
        "201": json("Recorded.", ZEmergencySignoff),
        "400": error("VALIDATION: invalid fields, or the statement is no emergency statement."),
        "401": E401,
        "403": FORBIDDEN_STEP,
        "404": E404_EMERGENCY,
        "409": error(
          "CONFLICT: the ladder refuses the step now, an attachment differs from the one signed, the emergency changed meanwhile, or the dispute is ruled.",
        ),
        "413": E413,
        "422": E422,
      },
    },
  },
  "/api/v1/disputes": {
    get: {
      summary: "The disputes, open ones first (needs dispute:read: arbitrators and portal admins)",
      responses: {
        "200": json("Up to 500 disputes.", z.array(ZDisputeSummary)),
        "401": E401,
        "403": E403,
      },
    },
  },
  "/api/v1/disputes/{number}": {
    get: {
      summary: "One dispute with its ruling (needs dispute:read)",
      requestParams: { path: ZDisputeParams },
      responses: {
        "200": json("The dispute.", ZDispute),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404_DISPUTE,
      },
    },
  },
  "/api/v1/disputes/{number}/statement": {
    post: {
      summary: "The ruling to sign on a dispute (E7; needs dispute:rule)",
      description:
        "`comment` is the reasoning (required). An arbitrator who took part in the emergency may not rule.",
      requestParams: { path: ZDisputeParams },
      requestBody: jsonBody(ZRulingStatementBody),
      responses: {
        "200": statementIssued("The ruling to sign."),
        "400": error("VALIDATION: invalid fields, or no reasoning."),
        "401": E401,
        "403": FORBIDDEN_ISSUE,
        "404": E404_DISPUTE,
        "409": error("CONFLICT: the dispute is already ruled."),
        "413": error("PAYLOAD_TOO_LARGE: the body is larger than 1 MiB."),
      },
    },
  },
  "/api/v1/disputes/{number}/signoffs": {
    post: {
      summary: "Record the signed ruling on a dispute (E7; needs dispute:rule)",
      requestParams: { path: ZDisputeParams },
      requestBody: jsonBody(ZSignedStatement),
      responses: {
        "201": json("Ruled.", ZRuling),
        "400": error("VALIDATION: invalid fields, or the statement is no ruling."),
        "401": E401,
        "403": FORBIDDEN_STEP,
        "404": E404_DISPUTE,
        "409": error("CONFLICT: the dispute is already ruled."),
        "413": error("PAYLOAD_TOO_LARGE: the body is larger than 1 MiB."),
        "422": E422,
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
