import "server-only";
import { z } from "zod";
import { cleanId, cleanLine, cleanText, safeInt } from "../../domain/input-hygiene";
import { ZKeyFingerprint } from "../keys/signing-key";
import { db } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { normaliseComment, STATEMENT_KINDS, VERDICTS_BY_KIND } from "../../domain/statements";
import {
  assertDecision,
  assertMaySignoff,
  type TSignoffKind,
  type TVerdict,
} from "../../domain/patch-state";
import { withdrawDecision } from "../../domain/patch-decisions";
import { can } from "../../domain/permissions";
import { loadPatch } from "../patches/patch-facts";
import { writePatchStatement } from "./write-statement";
import { decodeDiff, splitDiff } from "../../domain/diff-files";
import {
  checkLineComments,
  MAX_LINE_COMMENTS,
  MAX_LINE_COMMENT_CHARS,
  type TLineComment,
} from "../../domain/line-comments";

export { STATEMENT_TTL_MS } from "./write-statement";

export const ZIssueStatement = z.object({
  patchId: cleanId(),
  kind: z.enum(STATEMENT_KINDS).meta({
    description:
      "A `step` statement is refused here: it comes from POST .../deployment/steps/{n}/statement, with its evidence.",
  }),
  verdict: cleanLine()
    .trim()
    .toLowerCase()
    .optional()
    .meta({ description: "Required for review (approve|reject) and test (pass|fail)." }),
  comment: cleanText().max(4000).default("").meta({
    description: "Becomes part of the signed text. Required for withdraw: it is the reason.",
  }),
  keyFingerprint: ZKeyFingerprint.optional(),
  /** A review's comments on lines of the diff; checked against the revision's hunks. */
  lineComments: z
    .array(
      z.object({
        file: cleanLine()
          .min(1)
          .max(1000)
          .meta({ description: "The path as the diff names it, without a/ or b/." }),
        line: safeInt(),
        text: cleanText().max(MAX_LINE_COMMENT_CHARS * 2),
      }),
    )
    .max(MAX_LINE_COMMENTS)
    .default([]),
});

/** POST /api/v1/patches/{id}/statement: the inputs as a JSON body; the patch is in the URL. */
export const ZIssueStatementBody = ZIssueStatement.omit({ patchId: true });

/** GET /api/v1/patches/{id}/statement: the inputs as a query string. */
export const ZIssueStatementQuery = z.object({
  kind: ZIssueStatement.shape.kind,
  verdict: ZIssueStatement.shape.verdict,
  comment: ZIssueStatement.shape.comment,
  key: ZKeyFingerprint.optional().meta({
    description: "The fingerprint to sign with; default the newest registered key.",
  }),
});

/** The comments as they go into the statement, or a 400 naming each problem. */
async function checkedLineComments(
  revisionId: string,
  drafts: TLineComment[],
): Promise<TLineComment[]> {
  if (drafts.length === 0) return [];
  const { diff } = await db.patchRevision.findUniqueOrThrow({
    where: { id: revisionId },
    select: { diff: true },
  });
  const r = checkLineComments(drafts, splitDiff(decodeDiff(diff)));
  if (!r.ok)
    throw new AppError("VALIDATION", r.problems.map((p) => p.message).join(" "), {
      problems: r.problems,
    });
  return r.comments;
}

/**
 * Writes the statement this person would sign now, with a fresh single-use
 * nonce bound to them, this statement and this revision. Refuses early, with
 * the same rules the sign-off will be checked against, what could never count.
 */
export async function issueStatement({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZIssueStatement>) {
  const person = requirePerson(actor);
  authorize(person, "patch:read");
  const req = ZIssueStatement.parse(input);
  if (req.kind === "step")
    throw new AppError(
      "VALIDATION",
      "A step statement is issued by POST /api/v1/patches/:id/deployment/steps/:n/statement, with its evidence.",
    );
  const verdict =
    req.verdict ??
    (VERDICTS_BY_KIND[req.kind].length === 1 ? VERDICTS_BY_KIND[req.kind][0] : undefined);
  if (!verdict || !VERDICTS_BY_KIND[req.kind].includes(verdict)) {
    throw new AppError(
      "VALIDATION",
      `A ${req.kind} statement needs a verdict: ${VERDICTS_BY_KIND[req.kind].join(" or ")}.`,
    );
  }

  if (req.lineComments.length > 0 && req.kind !== "review")
    throw new AppError("VALIDATION", "Line comments belong to a review statement.");

  const { patch, revision, deployment, facts } = await db.$transaction((tx) =>
    loadPatch(tx, req.patchId),
  );
  let role: string | undefined;
  if (req.kind === "presence") {
    authorize(person, "visit:attend");
    if (!deployment || deployment.procedure !== "SIGNING_SERVER" || deployment.state !== "OPEN") {
      throw new AppError("FORBIDDEN", "Presence is signed for an open signing-server deployment.");
    }
    role = can(person.roles, "deploy:tick") ? "critical-admin" : "access-engineer";
  } else if (req.kind === "withdraw") {
    assertDecision(withdrawDecision(facts, person));
    if (!normaliseComment(req.comment))
      throw new AppError(
        "VALIDATION",
        "A withdraw states its reason: the comment is required and is part of the signed text.",
      );
  } else {
    assertMaySignoff(
      facts,
      person,
      req.kind.toUpperCase() as TSignoffKind,
      verdict.toUpperCase() as TVerdict,
    );
  }

  const lineComments = await checkedLineComments(revision.id, req.lineComments);
  return writePatchStatement(
    person,
    {
      lineComments,
      kind: req.kind,
      verdict,
      role,
      patchId: patch.id,
      patchNumber: patch.number,
      revision: revision.number,
      system: patch.system.slug,
      diffSha256: revision.diffSha256,
      bugId: patch.bugId,
      deploymentId: req.kind === "presence" ? deployment!.id : undefined,
      comment: req.comment,
    },
    req.keyFingerprint,
  );
}
