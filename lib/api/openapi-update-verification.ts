// Per-series verification of release updates (S3, docs/release-updates.md "Verification per
// series", "The HTTPS check"): the HTTPS check, the ACME and smoke evidence, and the HTTPS-check
// allow-list; openapi.ts merges them in. Requests are the use-cases' schemas; answers match
// httpsCheckView, seriesEvidenceView and the allow-list's rows (update-verification-routes.int.test.ts).
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ZHostParams, ZSeriesParams } from "./verification-params";
import { HTTPS_SERVERS, ZRequestHttpsCheck } from "../server/release-updates/https-check";
import { ZSeriesEvidenceBody } from "../server/release-updates/evidence";
import { ZAllowHttpsHost } from "../server/release-updates/allowed-hosts";
import { E400, E401, E403, E413_JSON, error, json, jsonBody, ZDateTime } from "./openapi-parts";

const E404 = error("NOT_FOUND: no such update record, or it does not target that series.");
const E409 = error(
  "CONFLICT: the update record is not approved (series are verified only on an approved revision).",
);

export const ZHttpsCheck = z
  .object({
    id: z.string(),
    updateId: z.string(),
    revision: z.number().int(),
    series: z.string(),
    server: z.enum(HTTPS_SERVERS),
    url: z.string(),
    host: z.string(),
    port: z.number().int(),
    trust: z
      .enum(["bundle", "system"])
      .meta({ description: "The CA bundle given, or the system's trust store." }),
    state: z.enum(["PENDING", "CHECKED"]),
    requestedById: z.string(),
    createdAt: ZDateTime,
    checkedAt: ZDateTime.nullable(),
    subject: z.string().nullable(),
    sans: z.array(z.string()).meta({ description: "e.g. `DNS:localhost`." }),
    issuer: z.string().nullable(),
    notBefore: ZDateTime.nullable(),
    notAfter: ZDateTime.nullable(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable()
      .meta({ description: "SHA-256 of the DER, lowercase hex." }),
    hostValid: z.boolean().nullable(),
    chainValid: z.boolean().nullable(),
    ok: z.boolean().nullable().meta({ description: "null while PENDING." }),
    reason: z.string().meta({ description: "Why not ok, in words; empty when ok." }),
  })
  .meta({ id: "HttpsCheck" });

export const ZSeriesEvidence = z
  .object({
    id: z.string(),
    updateId: z.string(),
    revision: z.number().int(),
    series: z.string(),
    kind: z.enum(["acme", "smoke"]),
    facts: z.record(z.string(), z.unknown()).meta({
      description:
        "acme: `{domain, acmeServer, certificate: {subject, sans, issuer, notBefore, notAfter, sha256}}`; smoke: `{url, result}`.",
    }),
    ok: z.boolean(),
    reason: z.string(),
    recordedById: z.string(),
    createdAt: ZDateTime,
  })
  .meta({ id: "SeriesEvidence" });

export const ZHttpsHost = z
  .object({
    host: z.string(),
    note: z.string(),
    addedById: z.string().nullable(),
    createdAt: ZDateTime,
  })
  .meta({ id: "HttpsHost" });

export const UPDATE_VERIFICATION_PATHS = {
  "/api/v1/updates/{id}/series/{series}/https-check": {
    post: {
      summary:
        "Ask the worker to check apache or nginx over HTTPS (testers): an https URL on an allow-listed host",
      description:
        "The worker connects to the URL's host and port (443 by default), completes a TLS handshake with SNI and records the certificate presented and whether it is valid for the host and chains to `caBundle` (default: the system's trust store). No HTTP request is sent; redirects never matter. The host must be on the allow-list (GET /api/v1/https-hosts) when asked and again when the worker runs.",
      requestParams: { path: ZSeriesParams },
      requestBody: jsonBody(ZRequestHttpsCheck.omit({ id: true, series: true })),
      responses: {
        "202": json("Queued: the check, state PENDING.", ZHttpsCheck),
        "400": error(
          "VALIDATION: not an https URL (`only https URLs are checked`), user info in it, a bad CA bundle, or a series the record does not target.",
        ),
        "401": E401,
        "403": error(
          "FORBIDDEN: the token's scope or roles (update:verify), or `<host> is not on the HTTPS-check allow-list; an admin adds it under Admin → HTTPS hosts`.",
        ),
        "404": E404,
        "409": E409,
        "413": E413_JSON,
      },
    },
    get: {
      summary: "The series' HTTPS checks on every revision, newest first",
      requestParams: { path: ZSeriesParams },
      responses: {
        "200": json("The checks.", z.object({ checks: z.array(ZHttpsCheck) })),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404,
      },
    },
  },
  "/api/v1/updates/{id}/series/{series}/evidence": {
    post: {
      summary:
        "Record a series' ACME certificate or dep8 smoke test (testers; not the revision's submitter)",
      requestParams: { path: ZSeriesParams },
      requestBody: jsonBody(ZSeriesEvidenceBody),
      responses: {
        "201": json("Recorded, with its verdict (ok) and why not.", ZSeriesEvidence),
        "400": error(
          "VALIDATION: a missing or bad field (an unreadable certificate, an ACME server that is not https, a smoke link that is not http(s)), or a series the record does not target.",
        ),
        "401": E401,
        "403": error(
          "FORBIDDEN: the token's scope or roles (update:verify), or the caller submitted the current revision.",
        ),
        "404": E404,
        "409": E409,
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/https-hosts": {
    get: {
      summary: "The hosts the HTTPS check may connect to",
      responses: {
        "200": json("The allow-list by host.", z.object({ hosts: z.array(ZHttpsHost) })),
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Add a host to the HTTPS-check allow-list (admins)",
      requestBody: jsonBody(ZAllowHttpsHost),
      responses: {
        "200": json("Listed already: the entry, unchanged.", ZHttpsHost),
        "201": json("Added.", ZHttpsHost),
        "400": error("VALIDATION: not a host name or address (a port, a wildcard, a scheme)."),
        "401": E401,
        "403": E403,
        "413": E413_JSON,
      },
    },
  },
  "/api/v1/https-hosts/{host}": {
    delete: {
      summary: "Remove a host from the HTTPS-check allow-list (admins)",
      description:
        "Checks made stay recorded; a check still waiting for the worker is then recorded as not ok, `host removed from the allow-list`, without connecting.",
      requestParams: { path: ZHostParams },
      responses: {
        "204": { description: "Removed." },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: the host is not on the list."),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
