import "server-only";
import type { z } from "zod";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { assertDecision } from "../../domain/patch-state";
import { withdrawDecision } from "../../domain/patch-decisions";
import { appendAuditEvent } from "../audit/append-event";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { loadPatch, lockPatch, syncPatchState } from "./patch-facts";
import { ZSignedStatement } from "./record-signoff";

/**
 * The author or an assessor withdraws a patch that is not deployed, with a
 * signed reason (the statement's comment). The stored statement is the fact
 * the rules read: the state becomes WITHDRAWN and the patch leaves every queue.
 */
export async function withdrawPatch({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZSignedStatement>) {
  const person = requirePerson(actor);
  const { statement, signature } = ZSignedStatement.parse(input);
  const v = await verifySubmission(person, statement, signature);
  if (v.nonce.kind !== "withdraw")
    throw new AppError("VALIDATION", "This is not a withdraw statement.");
  if (!v.parsed.comment)
    throw new AppError("VALIDATION", "A withdraw states its reason: the comment is required.");
  const patchId = v.nonce.subjectId;
  return db.$transaction(async (tx: Tx) => {
    await lockPatch(tx, patchId);
    const { revision, facts } = await loadPatch(tx, patchId);
    if (Number(v.parsed.revision) !== revision.number)
      throw new AppError(
        "CONFLICT",
        `The statement is for revision ${v.parsed.revision}, but revision ${revision.number} is current; sign the current one.`,
      );
    assertDecision(withdrawDecision(facts, person));
    const signed = await storeSignedStatement(tx, person, v, signature);
    const { count } = await tx.patch.updateMany({
      where: { id: patchId, withdrawalId: null },
      data: { withdrawalId: signed.id },
    });
    if (count === 0) throw new AppError("CONFLICT", "The patch was already withdrawn.");
    await appendAuditEvent(tx, {
      actor: person,
      action: "patch.withdrawn",
      subjectType: "patch",
      subjectId: patchId,
      payload: {
        revision: revision.number,
        reason: v.parsed.comment,
        fingerprint: signed.fingerprint,
        statementId: signed.id,
      },
    });
    const state = await syncPatchState(tx, person, patchId);
    return {
      revision: revision.number,
      fingerprint: signed.fingerprint,
      receivedAt: signed.receivedAt,
      reason: v.parsed.comment,
      state,
    };
  });
}
