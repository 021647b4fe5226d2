// The installation and update-package operations of the OpenAPI document (U1–U3,
// docs/update-packages.md); openapi.ts merges them in. Requests are the schemas the
// routes and their use-cases parse with; answers are written to match the present*
// functions of lib/server/updates (checked by expectShape in their integration tests).
import { z } from "zod";
import type { ZodOpenApiPathsObject, ZodOpenApiResponsesObject } from "zod-openapi";
import {
  ZCertificateParams,
  ZInstallationParams,
  ZPackageParams,
  ZPackageUploadForm,
  ZPgpKeyParams,
  ZTrustCertificateForm,
  ZTrustPgpKeyForm,
} from "./update-params";
import { ZCreateInstallation, ZUpdateInstallation } from "../server/updates/installations";
import { UPDATE_MODES } from "../domain/update-mode";
import {
  E400,
  E401,
  E403,
  error,
  json,
  jsonBody,
  ZApiError,
  ZBinary,
  ZDateTime,
} from "./openapi-parts";

const E404i = error("NOT_FOUND: no such installation.");
const E404p = error("NOT_FOUND: no such package.");

const ZSha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const ZMode = z.enum(UPDATE_MODES);
const ZVerdictState = z.enum(["VERIFIED", "QUARANTINED"]);

export const ZTrustedCertificate = z
  .object({
    subject: z.string(),
    issuer: z.string(),
    sha256: ZSha256Hex,
    notBefore: ZDateTime,
    notAfter: ZDateTime,
    notAfterText: z.string().meta({
      description: 'As `openssl x509 -noout -enddate` prints it: "Jun 15 18:18:53 2032 GMT".',
    }),
    selfSigned: z.boolean(),
    expiresInDays: z.number().int(),
    addedAt: ZDateTime,
  })
  .meta({ id: "TrustedCertificate" });

export const ZVendorPgpKey = z
  .object({
    fingerprint: z.string().regex(/^[0-9A-F]{40}$/),
    userIds: z.array(z.string()),
    expiresAt: ZDateTime.nullable(),
    addedAt: ZDateTime,
  })
  .meta({ id: "VendorPgpKey" });

export const ZInstallation = z
  .object({
    slug: z.string(),
    name: z.string(),
    product: z.string(),
    mode: ZMode,
    enterprise: z.boolean(),
    postUpdateUrl: z.string().nullable(),
    postUpdateSecretEnv: z.string().nullable(),
    certificates: z.array(ZTrustedCertificate),
    pgpKeys: z.array(ZVendorPgpKey),
  })
  .meta({ id: "Installation" });

/** An upload's or a re-verification's answer (presentPackageResult). */
const verdictShape = {
  id: z.string(),
  state: ZVerdictState,
  reason: z.string().nullable(),
  signer: z
    .object({ subject: z.string(), issuer: z.string(), notAfter: ZDateTime.nullable() })
    .nullable(),
  contentSha256: ZSha256Hex.nullable(),
  bytes: z.number().int(),
};
export const ZPackageVerdict = z.object(verdictShape).meta({ id: "PackageVerdict" });

const summaryShape = {
  ...verdictShape,
  fileName: z.string(),
  channel: z.enum(["BROWSER", "API", "INBOX"]),
  format: z.enum(["cms", "openpgp", "detached", "unknown"]),
  sha256: ZSha256Hex,
  installation: z.object({ slug: z.string(), name: z.string() }),
  receivedAt: ZDateTime,
  verifiedAt: ZDateTime,
};
export const ZPackageSummary = z.object(summaryShape).meta({ id: "PackageSummary" });

export const ZPackage = z
  .object({
    ...summaryShape,
    verdicts: z.array(
      z.object({
        state: ZVerdictState,
        reason: z.string().nullable(),
        at: ZDateTime,
        by: z.string().nullable(),
        certificates: z.array(ZSha256Hex),
        pgpKeys: z.array(z.string()),
      }),
    ),
    update: z
      .object({
        id: z.string(),
        mode: ZMode,
        state: z.enum(["AWAITING_APPLY", "IN_PROGRESS", "COMPLETED"]),
        createdAt: ZDateTime,
        completedAt: ZDateTime.nullable(),
        steps: z.array(
          z.object({
            number: z.number().int(),
            key: z.string(),
            tickedBy: z.string().nullable(),
            tickedAt: ZDateTime,
          }),
        ),
      })
      .nullable(),
  })
  .meta({ id: "Package" });

const multipart = (schema: z.ZodType) => ({
  required: true,
  content: { "multipart/form-data": { schema } },
});

const trustAnswers = (entry: z.ZodType, what: string) =>
  ({
    "200": json(`The ${what} was trusted already: its entry, no second row.`, entry),
    "201": json(`Trusted: the ${what}'s entry.`, entry),
    "400": error(
      `VALIDATION: the field is missing or is not ${what === "certificate" ? "an X.509 certificate (PEM or DER)" : "one OpenPGP public key"}; the message says which.`,
    ),
    "401": E401,
    "403": E403,
    "404": E404i,
    "413": error("PAYLOAD_TOO_LARGE: the body is above the limit."),
    "422": error("KEY_REFUSED: a private key, or a v6 key GnuPG 2.2 cannot verify with."),
  }) satisfies ZodOpenApiResponsesObject;

/** The content of a quarantined package: the error, and the verdict beside it for scripts. */
export const ZQuarantined = ZApiError.extend({
  state: z.literal("QUARANTINED"),
  reason: z.string(),
});

const ZCertificateOrKey = z.union([ZTrustedCertificate, ZVendorPgpKey]);

export const UPDATE_PATHS = {
  "/api/v1/installations": {
    get: {
      summary: "Every installation, its mode and the certificates and vendor keys it trusts",
      responses: {
        "200": json("The installations by slug.", z.array(ZInstallation)),
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Add an installation of a vendor-updated product (critical admins and admins)",
      requestBody: jsonBody(ZCreateInstallation),
      responses: {
        "201": json("The installation.", ZInstallation),
        "400": E400,
        "401": E401,
        "403": E403,
        "409": error("CONFLICT: an installation with this slug exists."),
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
      },
    },
  },
  "/api/v1/installations/{slug}": {
    get: {
      summary: "One installation with its active trusted certificates (and their end) and keys",
      requestParams: { path: ZInstallationParams },
      responses: {
        "200": json("The installation.", ZInstallation),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404i,
      },
    },
    patch: {
      summary: "Set its name, mode, Enterprise flag or post-update event (U5)",
      requestParams: { path: ZInstallationParams },
      requestBody: jsonBody(ZUpdateInstallation.omit({ slug: true })),
      responses: {
        "200": json("The installation.", ZInstallation),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404i,
        "413": error("PAYLOAD_TOO_LARGE: the body is above 1 MiB."),
      },
    },
  },
  "/api/v1/installations/{slug}/certificates": {
    post: {
      summary: "Trust a vendor certificate (field certificate) or OpenPGP key (field pgpKey)",
      requestParams: { path: ZInstallationParams },
      requestBody: multipart(ZTrustCertificateForm),
      responses: {
        ...trustAnswers(ZTrustedCertificate, "certificate"),
        "200": json(
          "Trusted already: its entry (a certificate's, or a key's for pgpKey).",
          ZCertificateOrKey,
        ),
        "201": json(
          "Trusted: the entry (a certificate's, or a key's for pgpKey).",
          ZCertificateOrKey,
        ),
      },
    },
  },
  "/api/v1/installations/{slug}/certificates/{sha256}": {
    delete: {
      summary: "Stop trusting a certificate (kept for the verdicts that used it)",
      requestParams: { path: ZCertificateParams },
      responses: {
        "204": { description: "No longer trusted." },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such installation, or it trusts no such certificate."),
      },
    },
  },
  "/api/v1/installations/{slug}/pgp-keys": {
    post: {
      summary: "Trust a vendor OpenPGP public key (armored or binary)",
      requestParams: { path: ZInstallationParams },
      requestBody: multipart(ZTrustPgpKeyForm),
      responses: trustAnswers(ZVendorPgpKey, "key"),
    },
  },
  "/api/v1/installations/{slug}/pgp-keys/{fingerprint}": {
    delete: {
      summary: "Stop trusting a vendor key (kept for the verdicts that used it)",
      requestParams: { path: ZPgpKeyParams },
      responses: {
        "204": { description: "No longer trusted." },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": error("NOT_FOUND: no such installation, or it trusts no such key."),
      },
    },
  },
  "/api/v1/installations/{slug}/packages": {
    get: {
      summary: "The installation's packages, newest first",
      requestParams: { path: ZInstallationParams },
      responses: {
        "200": json("The packages.", z.array(ZPackageSummary)),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404i,
      },
    },
    post: {
      summary: "Upload a package: every file is kept, verified or quarantined (U1, U2)",
      requestParams: { path: ZInstallationParams },
      requestBody: multipart(ZPackageUploadForm),
      responses: {
        "201": json("Kept, with its verdict.", ZPackageVerdict),
        "400": error("VALIDATION: the field package is missing."),
        "401": E401,
        "403": E403,
        "404": E404i,
        "413": error("PAYLOAD_TOO_LARGE: the package is above MAX_PACKAGE_BYTES."),
      },
    },
  },
  "/api/v1/packages/{id}": {
    get: {
      summary: "A package, its verdicts and its update record",
      requestParams: { path: ZPackageParams },
      responses: {
        "200": json("The package.", ZPackage),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404p,
      },
    },
  },
  "/api/v1/packages/{id}/content": {
    get: {
      summary: "A VERIFIED package's signed content, byte for byte (openssl's -out)",
      requestParams: { path: ZPackageParams },
      responses: {
        "200": {
          description: "The content; `x-sha256` is its SHA-256.",
          content: { "application/octet-stream": { schema: ZBinary } },
        },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404p,
        "409": json(
          "CONFLICT: the package is quarantined; the message is the verdict's reason.",
          ZQuarantined,
        ),
      },
    },
  },
  "/api/v1/packages/{id}/verify": {
    post: {
      summary: "Verify a kept package again with the installation's trust as it is now",
      requestParams: { path: ZPackageParams },
      responses: {
        "200": json("The new verdict.", ZPackageVerdict),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404p,
        "409": error("CONFLICT: another re-verification recorded a verdict meanwhile."),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
