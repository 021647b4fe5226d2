// The transparency log's routes in the OpenAPI document (issue 16,
// docs/transparency-log.md "The API"); openapi.ts merges them in.
import { E400, E401, E403, json, ref } from "./openapi-parts";

const text = (description: string) => ({
  description,
  content: { "text/plain; charset=utf-8": { schema: { type: "string" } } },
});
const count = (name: string, description: string) => ({
  name,
  in: "query",
  required: true,
  schema: { type: "integer", minimum: 0 },
  description,
});
const b64 = { type: "string", contentEncoding: "base64" };

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
      parameters: [
        count("index", "The leaf: the audit event with seq index+1."),
        count("size", "The tree size, at least index+1 and at most the latest checkpoint's."),
      ],
      responses: {
        "200": json(
          "The leaf hash and its audit path, bottom-up (RFC 9162 §2.1.3).",
          ref("LogInclusionProof"),
        ),
        "400": E400,
      },
    },
  },
  "/api/v1/log/proof/consistency": {
    get: {
      summary: "A consistency proof (public)",
      security: [],
      parameters: [
        count("from", "The older tree size, at least 1."),
        count("to", "The newer tree size, at least from and at most the latest checkpoint's."),
      ],
      responses: {
        "200": json(
          "The proof that tree `to` extends tree `from` (RFC 9162 §2.1.4).",
          ref("LogConsistencyProof"),
        ),
        "400": E400,
      },
    },
  },
  "/api/v1/log/leaves": {
    get: {
      summary: "Leaves with their audit events (needs audit:read; a token or a session)",
      parameters: [
        count("start", "The first leaf."),
        count("end", "One past the last leaf; at most 1000 leaves per call."),
      ],
      responses: {
        "200": json("The leaves in order.", ref("LogLeaves")),
        "400": E400,
        "401": E401,
        "403": E403,
      },
    },
  },
};

export const LOG_SCHEMAS = {
  LogInclusionProof: {
    type: "object",
    required: ["index", "treeSize", "leafHash", "proof"],
    properties: {
      index: { type: "integer" },
      treeSize: { type: "integer" },
      leafHash: b64,
      proof: { type: "array", items: b64 },
    },
  },
  LogConsistencyProof: {
    type: "object",
    required: ["from", "to", "proof"],
    properties: {
      from: { type: "integer" },
      to: { type: "integer" },
      proof: { type: "array", items: b64 },
    },
  },
  LogLeaves: {
    type: "object",
    required: ["leaves"],
    properties: {
      leaves: {
        type: "array",
        items: {
          type: "object",
          required: ["index", "seq", "leaf", "event"],
          properties: {
            index: { type: "integer" },
            seq: { type: "string", description: "index + 1, as a decimal string" },
            leaf: {
              ...b64,
              description:
                "The leaf bytes: the event's canonical encoding (its chain hash's input).",
            },
            event: { type: "object", description: "The event line, as in a bundle's events file." },
          },
        },
      },
    },
  },
};
