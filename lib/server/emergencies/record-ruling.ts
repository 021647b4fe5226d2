import "server-only";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { mayRule } from "../../domain/emergency-ladder";
import { fromNonceKind, RULING_VERDICTS } from "../../domain/emergency-statements";
import { parseStatement } from "../../domain/statements";
import { appendAuditEvent } from "../audit/append-event";
import { writeOutbox } from "../../jobs/outbox";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { ZSignedStatement } from "../patches/record-signoff";
import { loadLadder, lockEmergency, participantsOf } from "./emergency-facts";

/**
 * E7: an arbitrator's signed ruling on a dispute: verdict and reasoning are the
 * statement's verdict and comment. Refused for an arbitrator who took part in
 * the emergency, and once a dispute is ruled. `disputeId`, where the caller
 * names a dispute (the API's URL), must be the one the statement rules on.
 */
export async function recordRuling({
  actor,
  disputeId,
  ...input
}: {
  actor: TActor;
  disputeId?: string;
  statement: string;
  signature: string;
}) {
  const person = requirePerson(actor);
  authorize(person, "dispute:rule");
  const { statement, signature } = ZSignedStatement.parse(input);
  const claimed = parseStatement(statement);
  if (disputeId !== undefined && claimed && claimed.dispute !== disputeId)
    throw new AppError(
      "SIGNATURE_REFUSED",
      "The statement is no ruling on the dispute in the URL.",
      { reason: "other-dispute" },
    );
  const v = await verifySubmission(person, statement, signature);
  if (fromNonceKind(v.nonce.kind) !== "ruling" || v.nonce.subjectType !== "emergency")
    throw new AppError("VALIDATION", "This statement is not a ruling.");
  const verdict = v.parsed.verdict;
  if (!(RULING_VERDICTS as readonly string[]).includes(verdict))
    throw new AppError("VALIDATION", "Unknown verdict.");
  if (!v.parsed.comment.trim()) throw new AppError("VALIDATION", "A ruling needs its reasoning.");
  const emergencyId = v.nonce.subjectId;
  return db.$transaction(async (tx: Tx) => {
    await lockEmergency(tx, emergencyId);
    const { emergency } = await loadLadder(tx, emergencyId);
    if (!mayRule(person.id, participantsOf(emergency)))
      throw new AppError(
        "FORBIDDEN",
        "You took part in this emergency: another arbitrator must rule.",
        { rule: "E7" },
      );
    const dispute = emergency.disputes.find((d) => d.id === v.parsed.dispute);
    if (!dispute) throw new AppError("NOT_FOUND", "No such dispute for this emergency.");
    const { count } = await tx.dispute.updateMany({
      where: { id: dispute.id, state: "OPEN" },
      data: { state: "RULED" },
    });
    if (count === 0) throw new AppError("CONFLICT", "This dispute has already been ruled on.");
    const signed = await storeSignedStatement(tx, person, v, signature);
    const ruling = await tx.ruling.create({
      data: {
        disputeId: dispute.id,
        arbitratorId: person.id,
        verdict,
        reasoning: v.parsed.comment,
        statementId: signed.id,
        ruledAt: signed.receivedAt,
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "dispute.ruled",
      subjectType: "dispute",
      subjectId: dispute.id,
      payload: { verdict, fingerprint: signed.fingerprint, statementId: signed.id },
    });
    await writeOutbox(
      tx,
      "dispute.ruled",
      { disputeId: dispute.id },
      `dispute:${dispute.id}:ruled`,
    );
    return { id: ruling.id, disputeId: dispute.id, verdict };
  });
}
