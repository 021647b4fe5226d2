import "server-only";
import { z } from "zod";
import { db, newId, type Tx } from "../../db";

import type { Signoff } from "../../generated/prisma/client";
import { requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { assertMaySignoff, type TSignoffKind, type TVerdict } from "../../domain/patch-state";
import { appendAuditEvent } from "../audit/append-event";
import { isUniqueViolation } from "../prisma-errors";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { loadPatch, lockPatch, syncPatchStateAfterSignoff } from "./patch-facts";
import { parseLineComments } from "../../domain/line-comments";

export const ZSignedStatement = z.object({
  // A step statement carries its evidence, the apply's output up to 200,000 characters.
  statement: z
    .string()
    .min(1)
    .max(500_000)
    .meta({ description: "Exactly the text GET .../statement returned." }),
  signature: z
    .string()
    .min(1)
    .max(16_384)
    .meta({ description: "The ASCII-armored detached signature over those bytes." }),
});

const SIGNOFF_KINDS = ["submit", "review", "test", "request"];

/**
 * Records a signed sign-off (submit, review, test or request). The signature is
 * checked first; then, under the patch's lock, the statement must still name
 * the current revision and its diff hash ("what you see is what you sign"),
 * and the rules must allow this person this sign-off now.
 */
export async function recordSignoff({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZSignedStatement>) {
  const person = requirePerson(actor);
  const { statement, signature } = ZSignedStatement.parse(input);
  const v = await verifySubmission(person, statement, signature);
  if (!SIGNOFF_KINDS.includes(v.nonce.kind))
    throw new AppError("VALIDATION", `A ${v.nonce.kind} statement is not a patch sign-off.`);
  const kind = v.nonce.kind.toUpperCase() as TSignoffKind;
  const verdict = v.parsed.verdict.toUpperCase() as TVerdict;
  const patchId = v.nonce.subjectId;
  // The statement is the source of truth: the rows below are its line comments, copied.
  const lineComments = parseLineComments(v.parsed);
  if (!lineComments)
    throw new AppError("VALIDATION", "The statement's line comments do not parse.");

  try {
    return await db.$transaction(async (tx: Tx) => {
      await lockPatch(tx, patchId);
      const loaded = await loadPatch(tx, patchId);
      const { revision, facts } = loaded;
      if (Number(v.parsed.revision) !== revision.number) {
        throw new AppError(
          "CONFLICT",
          `The statement is for revision ${v.parsed.revision}, but revision ${revision.number} is current; sign the current one.`,
        );
      }
      if (v.parsed["diff-sha256"] !== revision.diffSha256)
        throw new AppError("CONFLICT", "The statement's diff hash is not the current revision's.");
      assertMaySignoff(facts, person, kind, verdict);
      const signed = await storeSignedStatement(tx, person, v, signature);
      // The policy in force when the request is signed stays with the patch (and its dossier).
      const policy =
        kind === "REQUEST" ? facts.policy : { reviewsRequired: null, testsRequired: null };
      const [signoff] = await tx.$queryRaw<Signoff[]>`
        INSERT INTO "Signoff" (id, "patchId", "revisionId", kind, verdict, "signerId", "diffSha256",
          comment, "statementId", "reviewsRequired", "testsRequired", "createdAt")
        VALUES (${newId()}, ${patchId}, ${revision.id}, ${kind}::"SignoffKind", ${verdict}::"Verdict",
          ${person.id}, ${revision.diffSha256}, ${v.parsed.comment || null}, ${signed.id},
          ${policy.reviewsRequired}, ${policy.testsRequired}, ${signed.receivedAt})
        RETURNING *`;
      if (lineComments.length > 0)
        await tx.lineComment.createMany({
          data: lineComments.map((c, i) => ({ signoffId: signoff.id, n: i + 1, ...c })),
        });
      await appendAuditEvent(tx, {
        actor: person,
        action: "patch.signed",
        subjectType: "patch",
        subjectId: patchId,
        payload: {
          kind,
          verdict,
          revision: revision.number,
          diffSha256: revision.diffSha256,
          fingerprint: signed.fingerprint,
          statementId: signed.id,
        },
      });
      // The patch is locked: its facts are those loaded above plus this sign-off (no reload).
      const state = await syncPatchStateAfterSignoff(tx, person, loaded, {
        ...signoff,
        revision: revision.number,
      });
      return {
        id: signoff.id,
        kind,
        verdict,
        revision: revision.number,
        fingerprint: signed.fingerprint,
        receivedAt: signed.receivedAt,
        state,
      };
    });
  } catch (e) {
    // The database's one-vote-per-person index: the last word on double votes.
    if (isUniqueViolation(e))
      throw new AppError(
        "CONFLICT",
        "You already signed in a gate of this revision; one person counts once.",
      );
    throw e;
  }
}
