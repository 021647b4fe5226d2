// The hand-written (JSON Schema) operations left of the core part: /me, a key's
// update and a system's policy, with the components they need (Me, KeyEntry,
// Policy). Patches, deployments and health are generated from zod in
// openapi-patches.ts, openapi-deployments.ts and openapi-health.ts; these three
// move to zod with the account and admin parts. openapi.ts assembles the document.

import { E401, error, json, ref } from "./openapi-parts";

const E409 = error("CONFLICT: the object is not in the state the change expects.");

export const CORE_PATHS = {
  "/api/v1/me": {
    get: {
      summary: "Who the token belongs to",
      responses: { "200": json("The token's owner.", ref("Me")), "401": E401 },
    },
  },
  "/api/v1/me/keys/{fingerprint}": {
    post: {
      summary: "Update or revoke one of your registered keys",
      description:
        "Send an updated certificate (`gpg --armor --export FPR`: a new expiry, user IDs or subkeys) or a revocation certificate (`gpg --gen-revoke FPR`, or the one gpg keeps in openpgp-revocs.d, a leading `:` is forgiven). It is merged into the stored key; only signatures that verify with the key are kept. From the revocation's creation time (`revokedAt`) on, signatures by the key are refused; statements the server received before it keep counting, and the evidence bundle verifies them as of their receipt time. A revocation, once stored, stays. Audited as `key.revoked` or `key.updated`.",
      parameters: [
        {
          name: "fingerprint",
          in: "path",
          required: true,
          schema: { type: "string" },
          description: "The key's fingerprint (40 hex; spaces and case forgiven).",
        },
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["armored"],
              properties: {
                armored: {
                  type: "string",
                  maxLength: 65536,
                  description: "The armored public key or revocation certificate.",
                },
              },
            },
          },
        },
      },
      responses: {
        "200": json("The key as now stored.", ref("KeyEntry")),
        "400": error(
          "VALIDATION: the material is for another fingerprint, does not parse, is a private or v6 key, or its revocation is dated in the future; nothing was stored.",
        ),
        "401": E401,
        "404": error("NOT_FOUND: the key is not one of yours."),
        "409": E409,
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
      },
    },
  },
  "/api/v1/systems/{slug}": {
    patch: {
      summary: "Change a system's policy: reviews and tests required (admins)",
      description:
        'At least 2 of each (the seed: "at least two"); the reason goes into the audit log (`system.policy`). Patches not yet requested count under the new policy at once; a requested patch, and its dossier, keep the policy its request was signed under.',
      parameters: [
        {
          name: "slug",
          in: "path",
          required: true,
          schema: { type: "string", minLength: 1, maxLength: 64 },
          description: "The system's slug.",
        },
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["reviewsRequired", "testsRequired", "reason"],
              properties: {
                reviewsRequired: { type: "integer", minimum: 2, maximum: 20 },
                testsRequired: { type: "integer", minimum: 2, maximum: 20 },
                reason: { type: "string", minLength: 1, maxLength: 1000 },
              },
            },
          },
        },
      },
      responses: {
        "200": json("The policy now in force.", {
          type: "object",
          properties: {
            slug: { type: "string" },
            reviewsRequired: { type: "integer" },
            testsRequired: { type: "integer" },
            from: ref("Policy"),
            patches: {
              type: "integer",
              description: "Patches not yet requested, now counted under the new policy.",
            },
          },
        }),
        "400": error(
          "VALIDATION: fewer than 2 reviews or tests, more than 20, or no reason; the message says which.",
        ),
        "401": E401,
        "403": error(
          "FORBIDDEN: only admins (systems:manage) change a system's policy, with a token of the sign scope.",
        ),
        "404": error("NOT_FOUND: no system with this slug."),
        "409": E409,
      },
    },
  },
};

export const CORE_SCHEMAS = {
  Me: {
    type: "object",
    required: ["id", "email", "name", "roles", "permissions", "keys"],
    properties: {
      id: { type: "string" },
      email: { type: "string" },
      name: { type: "string" },
      roles: { type: "array", items: { type: "string" } },
      permissions: { type: "array", items: { type: "string" } },
      keys: {
        type: "array",
        items: {
          type: "object",
          properties: {
            fingerprint: { type: "string" },
            algorithm: { type: "string" },
            revokedAt: {
              type: ["string", "null"],
              format: "date-time",
              description: "Revoked keys sign nothing from this time on.",
            },
          },
        },
      },
    },
  },
  KeyEntry: {
    type: "object",
    properties: {
      fingerprint: { type: "string" },
      algorithm: { type: "string" },
      userIds: {
        type: "array",
        items: { type: "string" },
        description: "The user IDs the key self-certifies.",
      },
      expiresAt: { type: ["string", "null"], format: "date-time" },
      revokedAt: {
        type: ["string", "null"],
        format: "date-time",
        description:
          "The revocation's creation time: signatures received from then on are refused.",
      },
      revocationReason: { type: ["string", "null"] },
    },
  },
  Policy: {
    type: "object",
    properties: {
      reviewsRequired: { type: "integer" },
      testsRequired: { type: "integer" },
    },
  },
};
