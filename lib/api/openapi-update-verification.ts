// Per-series verification of release updates (S3, docs/release-updates.md "Verification per
// series", "The HTTPS check"): the HTTPS check, the ACME and smoke evidence, and the HTTPS-check
// allow-list; openapi.ts merges them in.
import { E400, E401, E403, error, json, ref } from "./openapi-parts";

const E404 = error("NOT_FOUND: no such update record, or it does not target that series.");
const E409 = error(
  "CONFLICT: the update record is not approved (series are verified only on an approved revision).",
);
const instant = { type: "string", format: "date-time" };
const nullable = (t: string, extra: object = {}) => ({ type: [t, "null"], ...extra });
const sha256 = {
  type: "string",
  pattern: "^[0-9a-f]{64}$",
  description: "SHA-256 of the DER, lowercase hex.",
};

const params = [
  {
    name: "id",
    in: "path",
    required: true,
    schema: { type: "string", minLength: 1, maxLength: 64 },
    description: "The update record's id.",
  },
  {
    name: "series",
    in: "path",
    required: true,
    schema: { type: "string", pattern: "^[a-z][a-z0-9-]{0,39}$" },
    description: "One of the record's target series, e.g. `jammy`.",
  },
];

const body = (schema: object) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const UPDATE_VERIFICATION_PATHS = {
  "/api/v1/updates/{id}/series/{series}/https-check": {
    post: {
      summary:
        "Ask the worker to check apache or nginx over HTTPS (testers): an https URL on an allow-listed host",
      description:
        "The worker connects to the URL's host and port (443 by default), completes a TLS handshake with SNI and records the certificate presented and whether it is valid for the host and chains to `caBundle` (default: the system's trust store). No HTTP request is sent; redirects never matter. The host must be on the allow-list (GET /api/v1/https-hosts) when asked and again when the worker runs.",
      parameters: params,
      requestBody: body({
        type: "object",
        required: ["url"],
        properties: {
          url: {
            type: "string",
            format: "uri",
            description: "https only; no user name or password.",
          },
          caBundle: {
            type: "string",
            maxLength: 262144,
            description:
              "PEM text holding at least one certificate (at most 256 KiB). Absent: the system's trust store.",
          },
          server: {
            enum: ["apache", "nginx"],
            description:
              "Which check this is. Absent: the first of apache, nginx without an ok check on the current revision.",
          },
        },
      }),
      responses: {
        "202": json("Queued: the check, state PENDING.", ref("HttpsCheck")),
        "400": error(
          "VALIDATION: not an https URL (`only https URLs are checked`), user info in it, a bad CA bundle, or a series the record does not target.",
        ),
        "401": E401,
        "403": error(
          "FORBIDDEN: the token's scope or roles (update:verify), or `<host> is not on the HTTPS-check allow-list; an admin adds it under Admin → HTTPS hosts`.",
        ),
        "404": E404,
        "409": E409,
      },
    },
    get: {
      summary: "The series' HTTPS checks on every revision, newest first",
      parameters: params,
      responses: {
        "200": json("The checks.", {
          type: "object",
          required: ["checks"],
          properties: { checks: { type: "array", items: ref("HttpsCheck") } },
        }),
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
      parameters: params,
      requestBody: body({
        type: "object",
        required: ["kind"],
        description:
          "acme: `kind`, `domain`, `acmeServer`, `certificate` (all required); smoke: `kind`, `url`, `result`.",
        properties: {
          kind: { enum: ["acme", "smoke"] },
          domain: {
            type: "string",
            description: "acme: the name the certificate was obtained for.",
          },
          acmeServer: {
            type: "string",
            format: "uri",
            description: "acme: the https URL of the ACME directory.",
          },
          certificate: {
            type: "string",
            description: "acme: the certificate issued, PEM, the leaf first (at most 64 KiB).",
          },
          url: {
            type: "string",
            format: "uri",
            description:
              "smoke: http(s) link to the result (pending-sru.html, the autopkgtest log).",
          },
          result: { enum: ["pass", "fail"], description: "smoke: the test's result." },
        },
      }),
      responses: {
        "201": json("Recorded, with its verdict (ok) and why not.", ref("SeriesEvidence")),
        "400": error(
          "VALIDATION: a missing or bad field (an unreadable certificate, an ACME server that is not https, a smoke link that is not http(s)), or a series the record does not target.",
        ),
        "401": E401,
        "403": error(
          "FORBIDDEN: the token's scope or roles (update:verify), or the caller submitted the current revision.",
        ),
        "404": E404,
        "409": E409,
      },
    },
  },
  "/api/v1/https-hosts": {
    get: {
      summary: "The hosts the HTTPS check may connect to",
      responses: {
        "200": json("The allow-list by host.", {
          type: "object",
          required: ["hosts"],
          properties: { hosts: { type: "array", items: ref("HttpsHost") } },
        }),
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Add a host to the HTTPS-check allow-list (admins)",
      requestBody: body({
        type: "object",
        required: ["host"],
        properties: {
          host: {
            type: "string",
            description:
              "A DNS name or an IP address, exactly: no port, scheme or wildcard. Kept in lower case.",
          },
          note: { type: "string", maxLength: 500 },
        },
      }),
      responses: {
        "200": json("Listed already: the entry, unchanged.", ref("HttpsHost")),
        "201": json("Added.", ref("HttpsHost")),
        "400": error("VALIDATION: not a host name or address (a port, a wildcard, a scheme)."),
        "401": E401,
        "403": E403,
      },
    },
  },
  "/api/v1/https-hosts/{host}": {
    delete: {
      summary: "Remove a host from the HTTPS-check allow-list (admins)",
      description:
        "Checks made stay recorded; a check still waiting for the worker is then recorded as not ok, `host removed from the allow-list`, without connecting.",
      parameters: [
        {
          name: "host",
          in: "path",
          required: true,
          schema: { type: "string", minLength: 1, maxLength: 300 },
        },
      ],
      responses: {
        "204": { description: "Removed." },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: the host is not on the list."),
      },
    },
  },
};

export const UPDATE_VERIFICATION_SCHEMAS = {
  HttpsCheck: {
    type: "object",
    required: [
      "id",
      "updateId",
      "revision",
      "series",
      "server",
      "url",
      "host",
      "port",
      "trust",
      "state",
      "createdAt",
      "sans",
      "ok",
      "reason",
    ],
    properties: {
      id: { type: "string" },
      updateId: { type: "string" },
      revision: { type: "integer" },
      series: { type: "string" },
      server: { enum: ["apache", "nginx"] },
      url: { type: "string" },
      host: { type: "string" },
      port: { type: "integer" },
      trust: {
        enum: ["bundle", "system"],
        description: "The CA bundle given, or the system's trust store.",
      },
      state: { enum: ["PENDING", "CHECKED"] },
      requestedById: { type: "string" },
      createdAt: instant,
      checkedAt: nullable("string", { format: "date-time" }),
      subject: nullable("string"),
      sans: { type: "array", items: { type: "string" }, description: "e.g. `DNS:localhost`." },
      issuer: nullable("string"),
      notBefore: nullable("string", { format: "date-time" }),
      notAfter: nullable("string", { format: "date-time" }),
      sha256: { ...sha256, type: ["string", "null"] },
      hostValid: nullable("boolean"),
      chainValid: nullable("boolean"),
      ok: { type: ["boolean", "null"], description: "null while PENDING." },
      reason: { type: "string", description: "Why not ok, in words; empty when ok." },
    },
  },
  SeriesEvidence: {
    type: "object",
    required: [
      "id",
      "updateId",
      "revision",
      "series",
      "kind",
      "facts",
      "ok",
      "reason",
      "createdAt",
    ],
    properties: {
      id: { type: "string" },
      updateId: { type: "string" },
      revision: { type: "integer" },
      series: { type: "string" },
      kind: { enum: ["acme", "smoke"] },
      facts: {
        type: "object",
        description:
          "acme: `{domain, acmeServer, certificate: {subject, sans, issuer, notBefore, notAfter, sha256}}`; smoke: `{url, result}`.",
      },
      ok: { type: "boolean" },
      reason: { type: "string" },
      recordedById: { type: "string" },
      createdAt: instant,
    },
  },
  HttpsHost: {
    type: "object",
    required: ["host", "note", "createdAt"],
    properties: {
      host: { type: "string" },
      note: { type: "string" },
      addedById: nullable("string"),
      createdAt: instant,
    },
  },
};
