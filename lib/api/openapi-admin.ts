// The administration operations of the OpenAPI document (issue 18): accounts, role
// grants with the two-admin removal, target systems and their policy, the outbox;
// docs/api.md "Account and administration". openapi.ts merges them in.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ROLES } from "../domain/roles";
import { ZNominateRole } from "../server/roles/nominate-role";
import { ZSetPolicy } from "../server/systems/set-policy";
import { OUTBOX_STATES, ZOutboxFilter } from "../server/outbox/outbox-entries";
import {
  ZCreateUserBody,
  ZDisableUserBody,
  ZGrantParams,
  ZOutboxParams,
  ZRevokeBody,
  ZUserParams,
} from "./admin-params";
import { ZSystemParams } from "./route-params";
import { E400, E401, E413_JSON, error, json, jsonBody, ZDateTime } from "./openapi-parts";

const forbidden = (permission: string, more = "") =>
  error(
    `FORBIDDEN: only ${permission} holders${more}, with a token of the sign scope for anything but GET.`,
  );
const ROLES_403 = forbidden("admins (roles:manage)");

export const ZUser = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    disabledAt: ZDateTime.nullable().meta({ description: "Set while the account is disabled." }),
  })
  .meta({ id: "User", description: "An account as admins see it." });

const ZWho = z.object({ id: z.string(), name: z.string() }).nullable();

export const ZGrant = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    state: z.enum(["pending", "live", "revoked"]).meta({
      description: "pending: nominated, not approved; live: approved, counts; revoked: ended.",
    }),
    user: ZUser,
    note: z.string().nullable().meta({ description: "Why the person was nominated." }),
    nominatedBy: ZWho.meta({ description: "null: the operator's CLI (see nominatedVia)." }),
    nominatedVia: z.string(),
    nominatedAt: ZDateTime,
    approvedBy: ZWho,
    approvedVia: z.string().nullable(),
    approvedAt: ZDateTime.nullable(),
    revokedBy: ZWho,
    revokedAt: ZDateTime.nullable(),
    revokeReason: z.string().nullable(),
    revocationRequest: z.object({ by: ZWho, at: ZDateTime, reason: z.string() }).nullable().meta({
      description:
        "An admin's or critical admin's removal asked by one admin, waiting for another to confirm.",
    }),
  })
  .meta({
    id: "Grant",
    description: "A role grant or nomination, with who did each step and when.",
  });

export const ZPolicy = z.object({ reviewsRequired: z.int(), testsRequired: z.int() }).meta({
  id: "Policy",
  description: "How many approving reviews and passed tests a patch needs.",
});

export const ZSystem = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    procedure: z.enum(["WEBDB", "SIGNING_SERVER"]),
    reviewsRequired: z.int(),
    testsRequired: z.int(),
  })
  .meta({ id: "System", description: "A target system and its policy." });

export const ZPolicyChange = z
  .object({
    slug: z.string(),
    reviewsRequired: z.int(),
    testsRequired: z.int(),
    from: ZPolicy,
    patches: z.int().meta({
      description: "Patches not yet requested, now counted under the new policy.",
    }),
  })
  .meta({ id: "PolicyChange" });

export const ZOutboxEntry = z
  .object({
    id: z.string(),
    kind: z.string().meta({ description: "What the row does, e.g. deployment.mirror." }),
    state: z.enum(OUTBOX_STATES),
    about: z.object({ label: z.string(), href: z.string().nullable() }).nullable().meta({
      description: "The patch (emergency, update, account, ...) it is about, with its page.",
    }),
    to: z.string().meta({ description: "Who or what receives it." }),
    attempts: z.int(),
    lastError: z.string().nullable(),
    waitingFor: z.string().nullable().meta({
      description: "Set while a PENDING row waits (not an error; no retry is spent on it).",
    }),
    waitingSince: ZDateTime.nullable(),
    createdAt: ZDateTime,
    doneAt: ZDateTime.nullable(),
  })
  .meta({
    id: "OutboxEntry",
    description: "A side effect (mail, bug tracker, mirror) and its state.",
  });

export const ZOutboxRetried = z
  .object({ id: z.string(), state: z.literal("PENDING") })
  .meta({ id: "OutboxRetried" });

const noUser = error("NOT_FOUND: no such user.");
const noGrant = error("NOT_FOUND: no such grant.");
const grantAnswer = json("The grant as now stored.", ZGrant);

export const ADMIN_PATHS = {
  "/api/v1/users": {
    get: {
      summary: "Every account, by name (admins)",
      responses: { "200": json("The accounts.", z.array(ZUser)), "401": E401, "403": ROLES_403 },
    },
    post: {
      summary: "Create an account (admins)",
      description:
        "As on the roles page: no roles and no password. The person gets a one-time link by mail to choose their own password; nominate them for roles with POST /api/v1/roles. Other fields (`roles`, `password`) are refused. Audited as `user.created`.",
      requestBody: jsonBody(ZCreateUserBody),
      responses: {
        "201": json("The new account.", ZUser),
        "400": E400,
        "401": E401,
        "403": ROLES_403,
        "409": error("CONFLICT: an account with this e-mail address exists."),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/users/{id}/disable": {
    post: {
      summary: "Disable an account (admins)",
      description:
        "Its sessions end and every token of it is revoked; enabling gives back neither. Nobody disables their own account, nor the last enabled admin or critical admin. Audited as `user.disabled` with the reason.",
      requestParams: { path: ZUserParams },
      requestBody: { content: { "application/json": { schema: ZDisableUserBody } } },
      responses: {
        "200": json("The account as now.", ZUser),
        "400": E400,
        "401": E401,
        "403": forbidden("admins (roles:manage)", "; nobody disables their own account"),
        "404": noUser,
        "409": error(
          "CONFLICT: the account is already disabled, or it holds the last admin or critical-admin grant.",
        ),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/users/{id}/enable": {
    post: {
      summary: "Enable a disabled account (admins)",
      description: "The person signs in anew and makes new tokens. Audited as `user.enabled`.",
      requestParams: { path: ZUserParams },
      responses: {
        "200": json("The account as now.", ZUser),
        "400": E400,
        "401": E401,
        "403": forbidden("admins (roles:manage)", "; nobody enables their own account"),
        "404": noUser,
        "409": error("CONFLICT: the account is not disabled."),
      },
    },
  },
  "/api/v1/roles": {
    get: {
      summary: "Every role grant and nomination (admins)",
      description:
        "By role, then by nomination time: pending, live and revoked grants, as the roles page lists them. The public list of approved people is the page /roster.",
      responses: { "200": json("The grants.", z.array(ZGrant)), "401": E401, "403": ROLES_403 },
    },
    post: {
      summary: "Nominate a person for a role (admins)",
      description:
        "The grant counts once another admin approves it (POST /api/v1/roles/{grantId}/approve). Audited as `role.nominated`.",
      requestBody: jsonBody(ZNominateRole),
      responses: {
        "201": json("The nomination.", ZGrant),
        "400": E400,
        "401": E401,
        "403": ROLES_403,
        "404": noUser,
        "409": error("CONFLICT: the person already holds, or is nominated for, this role."),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/roles/{grantId}/approve": {
    post: {
      summary: "Approve a nomination (admins; four eyes)",
      description:
        "Neither the nominee nor the admin who nominated may approve. Audited as `role.approved`.",
      requestParams: { path: ZGrantParams },
      responses: {
        "200": grantAnswer,
        "400": E400,
        "401": E401,
        "403": forbidden("admins (roles:manage)", "; not your own nomination, nor one you made"),
        "404": error("NOT_FOUND: no such nomination."),
        "409": error("CONFLICT: the nomination is no longer pending."),
      },
    },
  },
  "/api/v1/roles/{grantId}/revoke": {
    post: {
      summary: "Revoke a grant or withdraw a nomination (admins)",
      description:
        "The person loses the role on their next request. An approved admin or critical-admin grant needs two admins: ask with POST .../revocation, another admin confirms. Audited as `role.revoked` with the reason.",
      requestParams: { path: ZGrantParams },
      requestBody: jsonBody(ZRevokeBody),
      responses: {
        "200": grantAnswer,
        "400": E400,
        "401": E401,
        "403": forbidden(
          "admins (roles:manage)",
          "; an approved admin or critical-admin grant needs a second admin (POST .../revocation)",
        ),
        "404": noGrant,
        "409": error("CONFLICT: the grant was already revoked."),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/roles/{grantId}/revocation": {
    post: {
      summary: "Ask to remove an admin or critical-admin grant (the first of two admins)",
      description:
        "It counts once another admin confirms (POST .../revocation/confirm); any admin may withdraw it (DELETE). Refused at once when it would remove the last holder. Audited as `role.revoke_requested`.",
      requestParams: { path: ZGrantParams },
      requestBody: jsonBody(ZRevokeBody),
      responses: {
        "200": json("The grant, with its revocationRequest.", ZGrant),
        "400": error(
          "VALIDATION: no reason, or the grant is not an approved admin or critical-admin grant (revoke it directly).",
        ),
        "401": E401,
        "403": ROLES_403,
        "404": noGrant,
        "409": error(
          "CONFLICT: the grant is revoked, its removal is asked already, or its holder is the last admin or critical admin.",
        ),
        "413": E413_JSON,
      },
    },
    delete: {
      summary: "Withdraw an asked removal (admins)",
      description: "Audited as `role.revoke_cancelled`.",
      requestParams: { path: ZGrantParams },
      responses: {
        "200": json("The grant, without a revocationRequest.", ZGrant),
        "400": E400,
        "401": E401,
        "403": ROLES_403,
        "404": noGrant,
        "409": error("CONFLICT: no open removal request on this grant."),
      },
    },
  },
  "/api/v1/roles/{grantId}/revocation/confirm": {
    post: {
      summary: "Confirm an asked removal (a second admin)",
      description:
        "The grant is revoked with the first admin's reason; audited as `role.revoked` naming who asked. Never removes the last admin or critical admin.",
      requestParams: { path: ZGrantParams },
      responses: {
        "200": json("The revoked grant.", ZGrant),
        "400": E400,
        "401": E401,
        "403": forbidden("admins (roles:manage)", "; not the admin who asked"),
        "404": noGrant,
        "409": error(
          "CONFLICT: nobody asked to remove this grant, it was already revoked, or its holder is the last admin or critical admin.",
        ),
      },
    },
  },
  "/api/v1/systems": {
    get: {
      summary: "The target systems and their policy",
      description: "By slug; every signed-in person may read them.",
      responses: { "200": json("The systems.", z.array(ZSystem)), "401": E401 },
    },
  },
  "/api/v1/systems/{slug}": {
    patch: {
      summary: "Change a system's policy: reviews and tests required (admins)",
      description:
        'At least 2 of each (the seed: "at least two"); the reason goes into the audit log (`system.policy`). Patches not yet requested count under the new policy at once; a requested patch, and its dossier, keep the policy its request was signed under.',
      requestParams: { path: ZSystemParams },
      requestBody: jsonBody(ZSetPolicy.omit({ slug: true })),
      responses: {
        "200": json("The policy now in force.", ZPolicyChange),
        "400": error(
          "VALIDATION: fewer than 2 reviews or tests, more than 20, or no reason; the message says which.",
        ),
        "401": E401,
        "403": forbidden("admins (systems:manage)"),
        "404": error("NOT_FOUND: no system with this slug."),
        "409": error("CONFLICT: the policy changed at the same moment; try again."),
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/outbox": {
    get: {
      summary: "The outbox (admins)",
      description:
        "Failed rows first, then the newest; at most 200. The worker's heartbeat is in GET /api/health.",
      requestParams: { query: ZOutboxFilter },
      responses: {
        "200": json("The rows.", z.array(ZOutboxEntry)),
        "400": E400,
        "401": E401,
        "403": forbidden("admins (outbox:manage)"),
      },
    },
  },
  "/api/v1/outbox/{id}/retry": {
    post: {
      summary: "Send a failed outbox row round again (admins)",
      description:
        "After fixing what its error named: the row goes back to PENDING with fresh attempts and the worker picks it up. Effects already done stay done. Audited as `outbox.retried`.",
      requestParams: { path: ZOutboxParams },
      responses: {
        "200": json("The row is pending again.", ZOutboxRetried),
        "400": E400,
        "401": E401,
        "403": forbidden("admins (outbox:manage)"),
        "404": error("NOT_FOUND: no such outbox row."),
        "409": error("CONFLICT: the row is not failed (any more)."),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
