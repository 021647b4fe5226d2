// The transparency log's routes in the OpenAPI document (issue 16,
// docs/transparency-log.md "The API"); openapi.ts merges them in.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ZEventLine } from "../dossier/manifest";
import { ZLeavesQuery } from "../server/log/leaves";
import { ZConsistencyQuery, ZInclusionQuery } from "../server/log/proofs";
import { E400, E401, E403, json, text } from "./openapi-parts";

/** A hash or a leaf's bytes, base64 (RFC 4648 §4), as the routes' b64() writes them. */
const ZBase64 = z.base64();

export const ZLogInclusionProof = z
  .object({
    index: z.int().min(0),
    treeSize: z.int().min(1),
    leafHash: ZBase64,
    proof: z.array(ZBase64),
  })
  .meta({ id: "LogInclusionProof" });

export const ZLogConsistencyProof = z
  .object({ from: z.int().min(1), to: z.int().min(1), proof: z.array(ZBase64) })
  .meta({ id: "LogConsistencyProof" });

export const ZLogLeaves = z
  .object({
    leaves: z.array(
      z.object({
        index: z.int().min(0),
        seq: z
          .string()
          .regex(/^[1-9][0-9]*$/)
          .meta({ description: "index + 1, as a decimal string" }),
        leaf: ZBase64.meta({
          description: "The leaf bytes: the event's canonical encoding (its chain hash's input).",
        }),
        event: ZEventLine.meta({ description: "The event line, as in a bundle's events file." }),
      }),
    ),
  })
  .meta({ id: "LogLeaves" });

export const LOG_PATHS = {
  "/api/v1/log/checkpoint": {
    get: {
      summary: "The latest checkpoint (public)",
      security: [],
      responses: {
        "200": text(
          "A C2SP tlog-checkpoint (origin, tree size, base64 root hash) as a C2SP signed note, signed by the portal's Ed25519 note key; made fresh when events are not yet covered.",
        ),
      },
    },
  },
  "/api/v1/log/checkpoint.asc": {
    get: {
      summary: "The portal key's OpenPGP signature over the latest checkpoint (public)",
      security: [],
      responses: {
        "200": text(
          "An armored detached OpenPGP signature by the portal key over the exact bytes GET /api/v1/log/checkpoint serves (`gpg --verify checkpoint.asc checkpoint`); if an event came in between the two calls, fetch both again.",
        ),
      },
    },
  },
  "/api/v1/log/key": {
    get: {
      summary: "The note key's verifier key (public)",
      security: [],
      responses: {
        "200": text("`<origin>+<8 hex key hash>+<base64(0x01 ‖ Ed25519 public key)>`."),
      },
    },
  },
  "/api/v1/log/proof/inclusion": {
    get: {
      summary: "An inclusion proof (public)",
      security: [],
      requestParams: { query: ZInclusionQuery },
      responses: {
        "200": json(
          "The leaf hash and its audit path, bottom-up (RFC 9162 §2.1.3).",
          ZLogInclusionProof,
        ),
        "400": E400,
      },
    },
  },
  "/api/v1/log/proof/consistency": {
    get: {
      summary: "A consistency proof (public)",
      security: [],
      requestParams: { query: ZConsistencyQuery },
      responses: {
        "200": json(
          "The proof that tree `to` extends tree `from` (RFC 9162 §2.1.4).",
          ZLogConsistencyProof,
        ),
        "400": E400,
      },
    },
  },
  "/api/v1/log/leaves": {
    get: {
      summary: "Leaves with their audit events (needs audit:read; a token or a session)",
      requestParams: { query: ZLeavesQuery },
      responses: {
        "200": json("The leaves in order.", ZLogLeaves),
        "400": E400,
        "401": E401,
        "403": E403,
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
