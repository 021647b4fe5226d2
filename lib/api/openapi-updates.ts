// The installation and update-package operations of the OpenAPI document (U1–U3,
// docs/update-packages.md); openapi.ts merges them in.
import { E400, E401, E403, error, json, ref } from "./openapi-parts";

const E404i = error("NOT_FOUND: no such installation.");
const E404p = error("NOT_FOUND: no such package.");

const slug = {
  name: "slug",
  in: "path",
  required: true,
  schema: { type: "string", minLength: 1, maxLength: 64 },
  description: "The installation's slug (also its folder in the drop directory).",
};
const id = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", minLength: 1, maxLength: 64 },
  description: "The package's id.",
};
const sha256 = { type: "string", pattern: "^[0-9a-f]{64}$" };
const instant = { type: "string", format: "date-time" };
const nullableInstant = { type: ["string", "null"], format: "date-time" };
const mode = { enum: ["automatic", "semi-automatic", "manual"] };
const binary = { type: "string", format: "binary" };

const multipart = (required: string[], properties: Record<string, object>) => ({
  required: true,
  content: { "multipart/form-data": { schema: { type: "object", required, properties } } },
});

const trustAnswers = (entry: string, what: string) => ({
  "200": json(`The ${what} was trusted already: its entry, no second row.`, ref(entry)),
  "201": json(`Trusted: the ${what}'s entry.`, ref(entry)),
  "400": error(
    `VALIDATION: the field is missing or is not ${what === "certificate" ? "an X.509 certificate (PEM or DER)" : "one OpenPGP public key"}; the message says which.`,
  ),
  "401": E401,
  "403": E403,
  "404": E404i,
  "413": error("PAYLOAD_TOO_LARGE: the body is above the limit."),
  "422": error("KEY_REFUSED: a private key, or a v6 key GnuPG 2.2 cannot verify with."),
});

export const UPDATE_PATHS = {
  "/api/v1/installations": {
    get: {
      summary: "Every installation, its mode and the certificates and vendor keys it trusts",
      responses: {
        "200": json("The installations by slug.", { type: "array", items: ref("Installation") }),
        "401": E401,
        "403": E403,
      },
    },
    post: {
      summary: "Add an installation of a vendor-updated product (critical admins and admins)",
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["slug", "name", "product", "mode"],
              properties: {
                slug: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,62}$" },
                name: { type: "string", minLength: 1, maxLength: 200 },
                product: { type: "string", minLength: 1, maxLength: 100 },
                mode,
                enterprise: { type: "boolean" },
              },
            },
          },
        },
      },
      responses: {
        "201": json("The installation.", ref("Installation")),
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
      parameters: [slug],
      responses: {
        "200": json("The installation.", ref("Installation")),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404i,
      },
    },
    patch: {
      summary: "Set its name, mode, Enterprise flag or post-update event (U5)",
      parameters: [slug],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                name: { type: "string", minLength: 1, maxLength: 200 },
                mode,
                enterprise: { type: "boolean" },
                postUpdateUrl: {
                  type: ["string", "null"],
                  description: "An http(s) URL; empty or null clears it.",
                },
                postUpdateSecretEnv: {
                  type: ["string", "null"],
                  description:
                    "The NAME of the environment variable holding the HMAC secret; empty or null clears it.",
                },
              },
            },
          },
        },
      },
      responses: {
        "200": json("The installation.", ref("Installation")),
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
      parameters: [slug],
      requestBody: multipart([], {
        certificate: { ...binary, description: "An X.509 certificate, PEM or DER." },
        pgpKey: { ...binary, description: "Instead: a vendor OpenPGP public key." },
      }),
      responses: {
        ...trustAnswers("TrustedCertificate", "certificate"),
        "200": json("Trusted already: its entry (a certificate's, or a key's for pgpKey).", {
          oneOf: [ref("TrustedCertificate"), ref("VendorPgpKey")],
        }),
        "201": json("Trusted: the entry (a certificate's, or a key's for pgpKey).", {
          oneOf: [ref("TrustedCertificate"), ref("VendorPgpKey")],
        }),
      },
    },
  },
  "/api/v1/installations/{slug}/certificates/{sha256}": {
    delete: {
      summary: "Stop trusting a certificate (kept for the verdicts that used it)",
      parameters: [
        slug,
        {
          name: "sha256",
          in: "path",
          required: true,
          schema: { type: "string", minLength: 1, maxLength: 128 },
          description: "The certificate's SHA-256 (of its DER), hex.",
        },
      ],
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
      parameters: [slug],
      requestBody: multipart(["pgpKey"], { pgpKey: binary }),
      responses: trustAnswers("VendorPgpKey", "key"),
    },
  },
  "/api/v1/installations/{slug}/pgp-keys/{fingerprint}": {
    delete: {
      summary: "Stop trusting a vendor key (kept for the verdicts that used it)",
      parameters: [
        slug,
        {
          name: "fingerprint",
          in: "path",
          required: true,
          schema: { type: "string", minLength: 1, maxLength: 128 },
          description: "The key's fingerprint, 40 hex digits.",
        },
      ],
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
      parameters: [slug],
      responses: {
        "200": json("The packages.", { type: "array", items: ref("PackageSummary") }),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404i,
      },
    },
    post: {
      summary: "Upload a package: every file is kept, verified or quarantined (U1, U2)",
      parameters: [slug],
      requestBody: multipart(["package"], {
        package: {
          ...binary,
          description:
            "CMS/PKCS#7 SignedData with the content attached (DER or PEM), an OpenPGP signed message, or any file with `signature`.",
        },
        signature: { ...binary, description: "A detached signature (CMS or OpenPGP)." },
      }),
      responses: {
        "201": json("Kept, with its verdict.", ref("PackageVerdict")),
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
      parameters: [id],
      responses: {
        "200": json("The package.", ref("Package")),
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
      parameters: [id],
      responses: {
        "200": {
          description: "The content; `x-sha256` is its SHA-256.",
          content: { "application/octet-stream": { schema: binary } },
        },
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404p,
        "409": error("CONFLICT: the package is quarantined; the message is the verdict's reason."),
      },
    },
  },
  "/api/v1/packages/{id}/verify": {
    post: {
      summary: "Verify a kept package again with the installation's trust as it is now",
      parameters: [id],
      responses: {
        "200": json("The new verdict.", ref("PackageVerdict")),
        "400": E400,
        "401": E401,
        "403": E403,
        "404": E404p,
        "409": error("CONFLICT: another re-verification recorded a verdict meanwhile."),
      },
    },
  },
};

const verdictProperties = {
  id: { type: "string" },
  state: { enum: ["VERIFIED", "QUARANTINED"] },
  reason: { type: ["string", "null"] },
  signer: {
    type: ["object", "null"],
    required: ["subject", "issuer", "notAfter"],
    properties: {
      subject: { type: "string" },
      issuer: { type: "string" },
      notAfter: nullableInstant,
    },
  },
  contentSha256: { type: ["string", "null"], pattern: "^[0-9a-f]{64}$" },
  bytes: { type: "integer" },
};
const verdictRequired = Object.keys(verdictProperties);
const summaryProperties = {
  ...verdictProperties,
  fileName: { type: "string" },
  channel: { enum: ["BROWSER", "API", "INBOX"] },
  format: { enum: ["cms", "openpgp", "detached", "unknown"] },
  sha256,
  installation: {
    type: "object",
    required: ["slug", "name"],
    properties: { slug: { type: "string" }, name: { type: "string" } },
  },
  receivedAt: instant,
  verifiedAt: instant,
};
const summaryRequired = Object.keys(summaryProperties);

export const UPDATE_SCHEMAS = {
  TrustedCertificate: {
    type: "object",
    required: [
      "subject",
      "issuer",
      "sha256",
      "notBefore",
      "notAfter",
      "notAfterText",
      "selfSigned",
      "expiresInDays",
      "addedAt",
    ],
    properties: {
      subject: { type: "string" },
      issuer: { type: "string" },
      sha256,
      notBefore: instant,
      notAfter: instant,
      notAfterText: {
        type: "string",
        description: 'As `openssl x509 -noout -enddate` prints it: "Jun 15 18:18:53 2032 GMT".',
      },
      selfSigned: { type: "boolean" },
      expiresInDays: { type: "integer" },
      addedAt: instant,
    },
  },
  VendorPgpKey: {
    type: "object",
    required: ["fingerprint", "userIds", "expiresAt", "addedAt"],
    properties: {
      fingerprint: { type: "string", pattern: "^[0-9A-F]{40}$" },
      userIds: { type: "array", items: { type: "string" } },
      expiresAt: nullableInstant,
      addedAt: instant,
    },
  },
  Installation: {
    type: "object",
    required: [
      "slug",
      "name",
      "product",
      "mode",
      "enterprise",
      "postUpdateUrl",
      "postUpdateSecretEnv",
      "certificates",
      "pgpKeys",
    ],
    properties: {
      slug: { type: "string" },
      name: { type: "string" },
      product: { type: "string" },
      mode,
      enterprise: { type: "boolean" },
      postUpdateUrl: { type: ["string", "null"] },
      postUpdateSecretEnv: { type: ["string", "null"] },
      certificates: { type: "array", items: ref("TrustedCertificate") },
      pgpKeys: { type: "array", items: ref("VendorPgpKey") },
    },
  },
  PackageVerdict: { type: "object", required: verdictRequired, properties: verdictProperties },
  PackageSummary: { type: "object", required: summaryRequired, properties: summaryProperties },
  Package: {
    type: "object",
    required: [...summaryRequired, "verdicts", "update"],
    properties: {
      ...summaryProperties,
      verdicts: {
        type: "array",
        items: {
          type: "object",
          required: ["state", "reason", "at", "by", "certificates", "pgpKeys"],
          properties: {
            state: { enum: ["VERIFIED", "QUARANTINED"] },
            reason: { type: ["string", "null"] },
            at: instant,
            by: { type: ["string", "null"] },
            certificates: { type: "array", items: sha256 },
            pgpKeys: { type: "array", items: { type: "string" } },
          },
        },
      },
      update: {
        type: ["object", "null"],
        required: ["id", "mode", "state", "createdAt", "completedAt", "steps"],
        properties: {
          id: { type: "string" },
          mode,
          state: { enum: ["AWAITING_APPLY", "IN_PROGRESS", "COMPLETED"] },
          createdAt: instant,
          completedAt: nullableInstant,
          steps: {
            type: "array",
            items: {
              type: "object",
              required: ["number", "key", "tickedBy", "tickedAt"],
              properties: {
                number: { type: "integer" },
                key: { type: "string" },
                tickedBy: { type: ["string", "null"] },
                tickedAt: instant,
              },
            },
          },
        },
      },
    },
  },
};
