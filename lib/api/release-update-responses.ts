// What the release-update routes answer (S1–S3), as zod schemas: the OpenAPI
// document's components (openapi-release-updates.ts) and what the integration
// tests check every answer against (expectShape). They follow presentTemplate
// (templates.ts), presentUpdate and listUpdates (update-facts.ts).
import { z } from "zod";
import { ZDateTime } from "./openapi-parts";
import { UPDATE_STATES } from "../server/release-updates/update-facts";

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/);
const ZWho = z.object({ id: z.string(), name: z.string() });
const ZSlugName = z.object({ slug: z.string(), name: z.string() });
const ZPackages = z
  .array(z.string())
  .meta({ description: "The package family: Debian source package names." });
const ZSeries = z
  .array(z.string())
  .meta({ description: "The target series (focal, jammy, noble)." });

const ZTodo = z.object({
  section: z.string(),
  line: z.int().meta({ description: "1-based line in the body." }),
  text: z.string().meta({ description: "The line as written (trimmed, at most 200 characters)." }),
});

export const ZUpdateTemplate = z
  .object({
    slug: z.string(),
    name: z.string(),
    body: z.string(),
    bodySha256: ZSha256,
    sections: z.array(z.object({ title: z.string(), line: z.int() })),
    todos: z.array(ZTodo),
    created: z
      .boolean()
      .optional()
      .meta({ description: "POST and PUT only: whether it was created." }),
    createdAt: ZDateTime,
    updatedAt: ZDateTime,
  })
  .meta({ id: "UpdateTemplate" });

const ZUpdateState = z.enum(UPDATE_STATES);

export const ZReleaseUpdateSummary = z
  .object({
    id: z.string(),
    number: z.int(),
    title: z.string(),
    state: ZUpdateState,
    revision: z.int(),
    system: ZSlugName,
    packages: ZPackages,
    version: z.string(),
    series: ZSeries,
    bugId: z.string(),
    todos: z.int().meta({ description: "How many TODO placeholders remain." }),
    tags: z.array(z.string()),
    createdBy: ZWho,
    createdAt: ZDateTime,
    updatedAt: ZDateTime,
  })
  .meta({ id: "ReleaseUpdateSummary" });

const ZCheckState = z.enum(["missing", "pending", "ok", "failed"]);

/** An ACME or smoke evidence row as evidenceFacts (update-facts.ts) shows it. */
const ZEvidenceFacts = z.object({
  id: z.string(),
  ok: z.boolean(),
  facts: z.record(z.string(), z.unknown()).meta({
    description:
      "acme: `{domain, acmeServer, certificate: {subject, sans, issuer, notBefore, notAfter, sha256}}`; smoke: `{url, result}`.",
  }),
  reason: z.string(),
});

/** An HTTPS check as httpsFacts (update-facts.ts) shows it; null fields until CHECKED. */
const ZHttpsFacts = z.object({
  id: z.string(),
  state: z.enum(["PENDING", "CHECKED"]),
  url: z.string(),
  host: z.string(),
  port: z.int(),
  subject: z.string().nullable(),
  sans: z.array(z.string()),
  issuer: z.string().nullable(),
  notBefore: ZDateTime.nullable(),
  notAfter: ZDateTime.nullable(),
  sha256: ZSha256.nullable(),
  hostValid: z.boolean().nullable(),
  chainValid: z.boolean().nullable(),
  ok: z.boolean().nullable(),
  reason: z.string(),
  checkedAt: ZDateTime.nullable(),
});

const evidenceCheck = z.object({ state: ZCheckState, evidence: ZEvidenceFacts.nullable() });
const httpsCheck = z.object({ state: ZCheckState, check: ZHttpsFacts.nullable() });

export const ZReleaseUpdate = z
  .object({
    id: z.string(),
    number: z.int(),
    title: z.string(),
    state: ZUpdateState.meta({
      description:
        "DRAFT: being written, or edited since revision `revision` was submitted (that revision is void).",
    }),
    revision: z.int().meta({ description: "The latest signed revision (0: never submitted)." }),
    system: ZSlugName,
    template: ZSlugName,
    packages: ZPackages,
    version: z.string(),
    series: ZSeries,
    bugId: z.string(),
    body: z.string(),
    sections: z.array(
      z.object({
        title: z.string(),
        line: z.int(),
        text: z.string(),
        todos: z.array(z.object({ line: z.int(), text: z.string() })),
      }),
    ),
    todos: z.array(ZTodo),
    majorChanges: z
      .array(
        z.object({
          number: z.int(),
          text: z.string(),
          incompatible: z.boolean(),
          sha256: ZSha256,
          acknowledged: z.object({ by: ZWho, at: ZDateTime, statementId: z.string() }).nullable(),
        }),
      )
      .meta({ description: "The changes of the current revision's Major Changes section." }),
    reviews: z
      .array(
        z.object({
          id: z.string(),
          revision: z.int(),
          verdict: z.enum(["approve", "reject"]),
          signer: ZWho,
          fingerprint: z.string(),
          at: ZDateTime,
          comment: z.string(),
        }),
      )
      .meta({
        description: "Every review, of every revision (only the current revision's count).",
      }),
    outcome: z
      .object({
        state: z.enum(["SUBMITTED", "APPROVED", "REJECTED"]),
        approvals: z.int(),
        required: z.int(),
        unacknowledged: z.array(z.object({ number: z.int(), text: z.string() })),
        waitingFor: z.array(z.string()),
      })
      .nullable()
      .meta({ description: "The review outcome of the current revision (null while DRAFT)." }),
    verification: z.array(
      z.object({
        series: z.string(),
        verdict: z.enum(["needed", "done", "failed"]),
        tag: z.string().nullable().meta({ description: "Only once APPROVED." }),
        checks: z.object({
          acme: evidenceCheck,
          apache: httpsCheck,
          nginx: httpsCheck,
          smoke: evidenceCheck,
        }),
        verifiedBy: z
          .object({
            signer: ZWho,
            verdict: z.enum(["pass", "fail"]),
            at: ZDateTime,
            comment: z.string(),
            statementId: z.string(),
          })
          .nullable(),
      }),
    ),
    tags: z.array(z.string()).meta({
      description: "verification-needed|done|failed-<series>, one per series once APPROVED.",
    }),
    revisions: z.array(
      z.object({
        number: z.int(),
        bodySha256: ZSha256,
        submittedBy: ZWho,
        at: ZDateTime,
        statementId: z.string(),
      }),
    ),
    createdBy: ZWho,
    createdAt: ZDateTime,
    updatedAt: ZDateTime,
  })
  .meta({ id: "ReleaseUpdate" });
