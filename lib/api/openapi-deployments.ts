// A patch's deployment in the OpenAPI document: opening the record, the signed
// step statements (X1, P6) and the signed notification (P7); openapi.ts merges it in.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import {
  ZIssueDecisionStatementBody,
  ZIssueStepStatementBody,
} from "../server/deployments/issue-step-statement";
import { ZNotificationQuery } from "../server/deployments/notification";
import { ZSignNotificationBody } from "../server/deployments/sign-notification";
import { ZPatchParams, ZStepParams } from "./route-params";
import {
  E400,
  E401,
  E403,
  E413_JSON,
  error,
  json,
  jsonBody,
  ZBinary,
  ZSha256,
} from "./openapi-parts";
import { E404, E409 } from "./openapi-patches";
import { ZDeploymentOpened, ZIssuedStatement, ZNotificationSigned } from "./deployment-answers";
import { ZTarballQuery, ZTarballStored } from "./tarball-upload";

export const DEPLOYMENT_PATHS = {
  "/api/v1/patches/{id}/deployment": {
    post: {
      summary: "Open the deployment record of a requested patch (critical admin)",
      requestParams: { path: ZPatchParams },
      responses: {
        "201": json("Opened.", ZDeploymentOpened),
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
      requestParams: { path: ZStepParams },
      requestBody: {
        content: { "application/json": { schema: ZIssueStepStatementBody } },
      },
      responses: {
        "200": json("The statement to sign.", ZIssuedStatement),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": E409,
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/patches/{id}/deployment/tarball": {
    post: {
      summary: "Upload step 7's new source tarball (P9); tick step 7 with its name and SHA-256",
      description:
        "The raw bytes as the body (`curl --data-binary @FILE -H 'content-type: application/octet-stream'`), the file name in `?name=`. Only the critical admin who could tick step 7 now may upload, and that is checked before a byte is read. The portal streams the body to `TARBALL_DIR/uploaded/<sha256>` while hashing it and answers the hash; step 13 mirrors only bytes with that hash. Without an upload, tick step 7 with the `sha256sum` line printed on the production server instead.",
      requestParams: { path: ZPatchParams, query: ZTarballQuery },
      requestBody: {
        required: true,
        content: { "application/octet-stream": { schema: ZBinary } },
      },
      responses: {
        "201": json(
          "Stored; tick step 7 with `{ tarball: name, tarballSha256: sha256 }`.",
          ZTarballStored,
        ),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such patch, or it has no deployment record."),
        "409": error("CONFLICT: the deployment is complete, or step 7 was already recorded."),
        "413": error("PAYLOAD_TOO_LARGE: the tarball is above MAX_TARBALL_BYTES."),
        "503": error("UNAVAILABLE: the portal has no TARBALL_DIR to keep uploads in."),
      },
    },
  },
  "/api/v1/patches/{id}/deployment/notification": {
    get: {
      summary: "The notification's MIME part, to sign (P7)",
      description:
        "Once every step by hand is done, the exact bytes of the MIME part of the notification to the system-log list (RFC 3156 canonical form: its own Content-Type and Content-Transfer-Encoding headers, quoted-printable, 7-bit, CRLF line ends). Save them unchanged and sign them: `gpg --armor --detach-sign notification.eml`. The worker sends this part with your signature as PGP/MIME once POST records it. Critical admins only; on the signing server, one present at the visit.",
      requestParams: { path: ZPatchParams, query: ZNotificationQuery },
      responses: {
        "200": {
          description: "The MIME part, byte for byte.",
          headers: z.object({ "X-Part-Sha256": ZSha256, "X-Key-Fingerprint": z.string() }),
          content: { "application/octet-stream": { schema: ZBinary } },
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
      requestParams: { path: ZPatchParams },
      requestBody: jsonBody(ZSignNotificationBody),
      responses: {
        "201": json("Recorded; the worker sends the mail.", ZNotificationSigned),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
        "409": error("CONFLICT: already signed, or the part changed while you signed it."),
        "413": E413_JSON,
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
      requestParams: { path: ZStepParams },
      requestBody: jsonBody(ZIssueDecisionStatementBody),
      responses: {
        "200": json("The statement to sign.", ZIssuedStatement),
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
