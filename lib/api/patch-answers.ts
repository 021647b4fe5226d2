// What the patch routes answer, as zod schemas: the OpenAPI document shows
// them (openapi-patches.ts) and the integration tests check real answers
// against them with expectShape, so the document cannot drift from the code.
import { z } from "zod";
import type { TRecordedPatchStatement } from "../server/statements/record-patch-statement";
import { PATCH_STATES } from "../domain/patch-state";
import { ZDeployment } from "./deployment-answers";
import { ZDateTime, ZPerson, ZSha256 } from "./openapi-parts";

export const ZPatchState = z.enum(PATCH_STATES).meta({ id: "PatchState" });

export const ZPatchSummary = z
  .object({
    id: z.string(),
    number: z.number().int(),
    title: z.string(),
    state: ZPatchState,
    revision: z.number().int(),
    system: z.string().meta({ description: "The target system's slug." }),
    bugId: z.string(),
    author: z.string().meta({ description: "The author's name." }),
    updatedAt: ZDateTime,
    steps: z
      .object({ done: z.number().int(), failed: z.number().int(), total: z.number().int() })
      .nullable()
      .meta({
        description:
          "Deployment progress of the current revision, once its record is opened; else null.",
      }),
  })
  .meta({ id: "PatchSummary" });

export const ZPatchPage = z
  .object({
    patches: z.array(ZPatchSummary),
    nextBefore: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The `before` of the next page; null on the last page." }),
  })
  .meta({ id: "PatchPage" });

/** POST /patches answers the new patch's coordinates. */
export const ZPatchCreated = z.object({
  id: z.string(),
  number: z.number().int(),
  revision: z.number().int(),
  diffSha256: ZSha256,
  state: ZPatchState,
});

/** POST /patches/{id}/revisions answers the new revision's coordinates. */
export const ZRevisionCreated = ZPatchCreated.omit({ number: true });

export const ZGate = z
  .object({ have: z.number().int(), need: z.number().int() })
  .meta({ id: "Gate" });

const ZSignoffKind = z.enum(["submit", "review", "test", "request"]);
const ZSignoffVerdict = z.enum(["submit", "approve", "reject", "pass", "fail", "request"]);

export const ZLineComment = z.object({
  file: z.string(),
  line: z.number().int(),
  text: z.string(),
});

export const ZSignoff = z
  .object({
    id: z.string(),
    kind: ZSignoffKind,
    verdict: ZSignoffVerdict,
    signer: ZPerson,
    fingerprint: z.string(),
    key: z
      .object({
        revokedAt: ZDateTime.nullable(),
        revocationReason: z.string().nullable(),
        matchesAccount: z.boolean(),
      })
      .meta({
        description:
          "The signing key as it stands now. A sign-off received before `revokedAt` still counts; `matchesAccount` false means none of the key's user IDs carries the signer's address.",
      }),
    revision: z.number().int(),
    superseded: z
      .boolean()
      .meta({ description: "Signed an older revision: shown, no longer counted." }),
    comment: z.string().nullable(),
    time: ZDateTime.meta({ description: "The server's receipt time." }),
    statementId: z.string(),
    lineComments: z.array(ZLineComment).meta({
      description: "A review's signed line comments, in the statement's order.",
    }),
  })
  .meta({ id: "Signoff" });

const receivedAt = ZDateTime;

/** What POST /patches/{id}/signoffs answers, by the statement's kind. */
export const ZSignoffReceipt = z
  .union([
    z.object({
      id: z.string(),
      kind: ZSignoffKind,
      verdict: ZSignoffVerdict,
      revision: z.number().int(),
      fingerprint: z.string(),
      receivedAt,
      state: ZPatchState,
    }),
    z.object({
      kind: z.literal("presence"),
      role: z
        .enum(["CRITICAL_ADMIN", "ACCESS_ENGINEER"])
        .meta({ description: "presence only: CRITICAL_ADMIN or ACCESS_ENGINEER." }),
      fingerprint: z.string(),
      receivedAt,
    }),
    z.object({
      kind: z.literal("withdraw"),
      revision: z.number().int(),
      fingerprint: z.string(),
      receivedAt,
      reason: z.string().meta({ description: "withdraw only: the signed reason." }),
      state: ZPatchState,
    }),
    z.object({
      kind: z.literal("step"),
      type: z.literal("tick").meta({
        description: "step only: a tick (with number, status DONE|FAILED, evidence, state).",
      }),
      number: z.number().int(),
      status: z.enum(["DONE", "FAILED"]),
      evidence: z.record(z.string(), z.unknown()),
      state: ZPatchState,
    }),
    z.object({
      kind: z.literal("step"),
      type: z.literal("decision").meta({
        description: "step only: a decision (number, applicable, reason).",
      }),
      number: z.number().int(),
      applicable: z.boolean(),
      reason: z.string(),
    }),
  ])
  .meta({
    id: "SignoffReceipt",
    description:
      "A sign-off (submit, review, test, request), a visit presence, a withdraw, or a deployment step's tick or decision.",
  });

/** The answer of POST /patches/{id}/signoffs: sign-offs spelled as GET /patches/{id} spells them. */
export function signoffReceipt(r: TRecordedPatchStatement) {
  if (r.presence) return { kind: r.kind, ...r.presence };
  if (r.step) return { kind: "step" as const, ...r.step };
  if (r.withdrawal) return { kind: r.kind, ...r.withdrawal };
  return { ...r.signoff, kind: r.kind, verdict: r.signoff.verdict.toLowerCase() };
}

export const ZPatch = z
  .object({
    id: z.string(),
    number: z.number().int(),
    title: z.string(),
    summary: z.string(),
    bugId: z.string(),
    bugSummary: z.string(),
    state: ZPatchState,
    revision: z.number().int(),
    diffSha256: ZSha256,
    createdAt: ZDateTime,
    author: ZPerson,
    system: z.object({
      slug: z.string(),
      name: z.string(),
      procedure: z.enum(["WEBDB", "SIGNING_SERVER"]),
      reviewsRequired: z.number().int(),
      testsRequired: z.number().int(),
    }),
    policy: z.object({ reviewsRequired: z.number().int(), testsRequired: z.number().int() }).meta({
      description:
        "The policy the gates count under: the one in force when the current revision's request was signed, else the system's of today.",
    }),
    may: z
      .object({
        submit: z.boolean(),
        review: z.array(z.enum(["APPROVE", "REJECT"])),
        test: z.array(z.enum(["PASS", "FAIL"])),
        request: z.boolean(),
        revise: z.boolean(),
        withdraw: z.boolean(),
      })
      .meta({
        description:
          "What the caller may sign or do now, from the same rules the server checks: the patch page offers exactly these.",
      }),
    withdrawal: z
      .object({
        by: ZPerson,
        reason: z.string(),
        fingerprint: z.string(),
        time: ZDateTime,
        statementId: z.string(),
      })
      .nullable()
      .meta({ description: "The signed withdraw, once the patch is withdrawn." }),
    revisions: z.array(
      z.object({
        number: z.number().int(),
        diffSha256: ZSha256,
        sizeBytes: z.number().int(),
        fileCount: z.number().int(),
        uploadedBy: ZPerson,
        createdAt: ZDateTime,
      }),
    ),
    signoffs: z.array(ZSignoff),
    gates: z.object({ reviews: ZGate, tests: ZGate }),
    blocked: z.boolean().meta({
      description:
        "A reject or fail on the current revision blocks the patch until a new revision.",
    }),
    deploySeparation: z.string().nullable().meta({
      description:
        "X3: why the caller may not open or tick this patch's deployment (they wrote, uploaded, reviewed, tested or requested it), or null.",
    }),
    deployment: ZDeployment.nullable(),
  })
  .meta({ id: "Patch" });
