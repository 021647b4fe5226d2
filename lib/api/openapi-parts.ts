// Pieces every part of the OpenAPI document uses. The document is generated from
// zod schemas (zod-openapi): a part describes each operation with the schemas the
// route parses with and the schemas of what it answers, so limits and patterns
// are written once.
import { z } from "zod";
import type { ZodOpenApiResponseObject } from "zod-openapi";

export const ZApiError = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable; match on it." }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional().meta({
        description:
          "Some release-update refusals only: the list the message gives, for scripts (todos, missingChecks, missing, unknown).",
      }),
    }),
  })
  .meta({ id: "Error" });

/** A response in the error shape; the description starts with the code(s) it carries. */
export const error = (description: string): ZodOpenApiResponseObject => ({
  description,
  content: { "application/json": { schema: ZApiError } },
});

/** A JSON response. */
export const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body. */
export const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** Bytes that are not JSON (a bundle, a diff, a tarball). */
export const ZBinary = z.string().meta({ format: "binary" });

/** An evidence bundle: application/gzip. */
export const gzip = (description: string): ZodOpenApiResponseObject => ({
  description,
  content: { "application/gzip": { schema: ZBinary } },
});

/** Plain text (a statement to sign, a diff). */
export const text = (description: string, contentType = "text/plain; charset=utf-8") => ({
  description,
  content: { [contentType]: { schema: z.string() } },
});

/**
 * A time in an answer: a Date as JSON gives it (ISO 8601, UTC). The document
 * says `format: date-time` without zod's long pattern, which says no more.
 */
export const ZDateTime = z.iso.datetime().meta({
  override: ({ jsonSchema }) => {
    delete jsonSchema.pattern;
  },
});

/** A SHA-256 in lowercase hex (a diff, a bundle, a MIME part). */
export const ZSha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ id: "Sha256" });

/** Someone named in an answer; null where the account is gone or nobody is meant. */
export const ZPerson = z
  .object({ id: z.string(), name: z.string(), email: z.string() })
  .nullable()
  .meta({ id: "Person" });

/** Any JSON body above readJson's cap (MAX_JSON_BYTES in lib/api/json-body.ts). */
export const E413_JSON = error("PAYLOAD_TOO_LARGE: the body is above 1 MiB.");

/**
 * The statement to sign, as statementResponse (lib/api/statement-response.ts)
 * answers it for every kind: the bytes to sign, its expiry and the key it names.
 */
export const statementIssued = (description: string): ZodOpenApiResponseObject => ({
  ...text(description),
  headers: z.object({
    "X-Statement-Expires-At": ZDateTime.meta({ description: "Sign and post it before then." }),
    "X-Key-Fingerprint": z
      .string()
      .meta({ description: "The key the statement names: sign with this one." }),
  }),
});

export const E400 = error(
  "VALIDATION: the input is invalid (including control characters, bidi controls or a number beyond 2147483647 in any typed field, path id or query); the message names each bad field.",
);
export const E401 = error(
  "UNAUTHENTICATED: no valid token (missing, unknown, revoked or expired).",
);
/** A read refused by role: the caller holds no role with this permission (none yet, or all revoked). */
export const forbiddenWithout = (permission: string): ZodOpenApiResponseObject =>
  error(
    `FORBIDDEN: your roles do not include ${permission} (an account with no role yet, or whose roles were revoked).`,
  );

export const E403 = error(
  "FORBIDDEN: the token has the read scope (only GET and HEAD), or the actor's roles, a separation-of-duties rule, the gate order or the patch's state refuse this.",
);
