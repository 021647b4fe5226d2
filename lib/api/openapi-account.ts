// The account operations of the OpenAPI document (issue 18): who the token belongs to,
// the caller's OpenPGP keys and API tokens, and the password change; docs/api.md
// "Account and administration". openapi.ts merges them in.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { PERMISSIONS } from "../domain/permissions";
import { ROLE_LABEL, ROLES } from "../domain/roles";
import { TOKEN_SCOPES } from "../domain/token-scope";
import { ZRegisterKey } from "../server/keys/register-key";
import { ZCreateToken } from "../server/tokens/create-token";
import { ZChangePassword } from "../server/users/change-password";
import { ZKeyParams, ZKeyUpdateBody, ZTokenParams } from "./account-params";
import { E400, E401, E413_JSON, error, json, jsonBody, ZDateTime } from "./openapi-parts";

export const ZMe = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roles: z
      .array(z.enum(ROLES.map((r) => ROLE_LABEL[r]) as [string, ...string[]]))
      .meta({ description: "The approved, unrevoked roles, as people type them." }),
    permissions: z
      .array(z.enum(PERMISSIONS))
      .meta({ description: "What those roles allow (lib/domain/permissions.ts)." }),
    keys: z
      .array(
        z.object({
          fingerprint: z.string(),
          algorithm: z.string(),
          revokedAt: ZDateTime.nullable().meta({
            description: "Revoked keys sign nothing from this time on.",
          }),
        }),
      )
      .meta({ description: "The registered keys that are not removed." }),
  })
  .meta({ id: "Me", description: "The token's owner." });

export const ZKeyEntry = z
  .object({
    fingerprint: z.string().meta({ description: "Upper-case hex, no spaces." }),
    algorithm: z.string(),
    userIds: z.array(z.string()).meta({ description: "The user IDs the key self-certifies." }),
    expiresAt: ZDateTime.nullable(),
    revokedAt: ZDateTime.nullable().meta({
      description: "The revocation's creation time: signatures received from then on are refused.",
    }),
    revocationReason: z.string().nullable(),
  })
  .meta({ id: "KeyEntry", description: "A registered key, as its owner sees it." });

const tokenFields = {
  id: z.string(),
  name: z.string(),
  prefix: z.string().meta({ description: "The token's first 10 characters, to tell it apart." }),
  scope: z.enum(TOKEN_SCOPES),
  expiresAt: ZDateTime.nullable().meta({ description: "Refused from then on; null: no expiry." }),
};

export const ZToken = z
  .object({
    ...tokenFields,
    createdAt: ZDateTime,
    lastUsedAt: ZDateTime.nullable(),
    revokedAt: ZDateTime.nullable(),
  })
  .meta({
    id: "Token",
    description: "An API token as its owner's list shows it; never the secret.",
  });

export const ZNewToken = z
  .object({
    ...tokenFields,
    token: z.string().meta({
      description:
        "The secret, `pg_` + 43 characters: in this answer only; the portal keeps its hash.",
    }),
  })
  .meta({ id: "NewToken", description: "A token just made." });

const EREAD = error("FORBIDDEN: the token has the read scope (only GET and HEAD).");
const keyNotYours = error("NOT_FOUND: the key is not one of yours.");

export const ACCOUNT_PATHS = {
  "/api/v1/me": {
    get: {
      summary: "Who the token belongs to",
      responses: { "200": json("The token's owner.", ZMe), "401": E401 },
    },
  },
  "/api/v1/me/keys": {
    get: {
      summary: "Your registered keys",
      description:
        "Every key you registered and did not remove, oldest first; revoked keys too, with `revokedAt`.",
      responses: { "200": json("Your keys.", z.array(ZKeyEntry)), "401": E401 },
    },
    post: {
      summary: "Register one of your OpenPGP public keys",
      description:
        "As on the profile page: a public key (not a private one, not v6) with a signing-capable key, unexpired and unrevoked, with a user ID carrying your account's e-mail address. Audited as `key.registered`.",
      requestBody: jsonBody(ZRegisterKey),
      responses: {
        "201": json("The key as stored.", ZKeyEntry),
        "400": E400,
        "401": E401,
        "403": EREAD,
        "413": E413_JSON,
        "422": error(
          "KEY_REFUSED: the key cannot be registered (private, expired, revoked, no signing key, a v6 key, no user ID with your e-mail address, or already registered, to you or to another account).",
        ),
      },
    },
  },
  "/api/v1/me/keys/{fingerprint}": {
    post: {
      summary: "Update or revoke one of your registered keys",
      description:
        "Send an updated certificate (`gpg --armor --export FPR`: a new expiry, user IDs or subkeys) or a revocation certificate (`gpg --gen-revoke FPR`, or the one gpg keeps in openpgp-revocs.d, a leading `:` is forgiven). It is merged into the stored key; only signatures that verify with the key are kept. From the revocation's creation time (`revokedAt`) on, signatures by the key are refused; statements the server received before it keep counting, and the evidence bundle verifies them as of their receipt time. A revocation, once stored, stays. Audited as `key.revoked` or `key.updated`.",
      requestParams: { path: ZKeyParams },
      requestBody: jsonBody(ZKeyUpdateBody),
      responses: {
        "200": json("The key as now stored.", ZKeyEntry),
        "400": error(
          "VALIDATION: the fingerprint is malformed, or the material is for another fingerprint, does not parse, is a private or v6 key, or its revocation is dated in the future; nothing was stored.",
        ),
        "401": E401,
        "403": EREAD,
        "404": keyNotYours,
        "409": error("CONFLICT: the key changed meanwhile; send the material again."),
        "413": E413_JSON,
      },
    },
    delete: {
      summary: "Remove one of your keys",
      description:
        "As on the profile page: the key signs nothing more; its row stays, so past signatures remain verifiable. Audited as `key.removed`.",
      requestParams: { path: ZKeyParams },
      responses: {
        "204": { description: "Removed." },
        "400": E400,
        "401": E401,
        "403": EREAD,
        "404": keyNotYours,
        "409": error("CONFLICT: the key was already removed."),
      },
    },
  },
  "/api/v1/me/tokens": {
    get: {
      summary: "Your API tokens",
      description: "Newest first, revoked and expired ones included. Never a secret.",
      responses: { "200": json("Your tokens.", z.array(ZToken)), "401": E401 },
    },
    post: {
      summary: "Create an API token (asks for your password)",
      description:
        "As on the profile page, with your password: a stolen token alone mints nothing. The new token never outlives nor outranks the token that asks for it: without `expiresInDays` it expires when the calling token does (none if that one has none); a later expiry is a 403. Audited as `token.created`.",
      requestBody: jsonBody(ZCreateToken),
      responses: {
        "201": json("The new token, with its secret (shown this once).", ZNewToken),
        "400": E400,
        "401": E401,
        "403": error(
          "FORBIDDEN: the password is wrong, the calling token has the read scope, or the asked expiry is later than the calling token's.",
        ),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/me/tokens/{id}": {
    delete: {
      summary: "Revoke one of your API tokens",
      description:
        "Refused from now on; the calling token can revoke itself. Audited as `token.revoked`.",
      requestParams: { path: ZTokenParams },
      responses: {
        "204": { description: "Revoked." },
        "400": E400,
        "401": E401,
        "403": EREAD,
        "404": error("NOT_FOUND: no such token on your account."),
        "409": error("CONFLICT: the token was already revoked."),
      },
    },
  },
  "/api/v1/me/password": {
    post: {
      summary: "Change your password",
      description:
        "As on the password page: every session and every API token of yours ends, **the token of this request included** (audited as `user.password_changed` and `token.revoked_all`); sign in anew and create a new token. A person whose password is temporary cannot use the API at all: they choose their own on the password page.",
      requestBody: jsonBody(ZChangePassword),
      responses: {
        "204": { description: "Changed; this token no longer works." },
        "400": error(
          "VALIDATION: the new password is shorter than 10 characters, the two differ, or it equals the current one.",
        ),
        "401": E401,
        "403": error("FORBIDDEN: the current password is wrong, or the token has the read scope."),
        "409": error("CONFLICT: the password was changed meanwhile."),
        "413": E413_JSON,
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
