import "server-only";
import { db, type Tx } from "../../db";
import { requirePerson, authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { fromNonceKind } from "../../domain/emergency-statements";
import { appendAuditEvent } from "../audit/append-event";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { lockEmergency } from "./emergency-facts";
import { ZSignedStatement } from "../patches/record-signoff";

/** E2: the named responder acknowledges standby with a signed statement. */
export async function acknowledgeStandby({
  actor,
  ...input
}: {
  actor: TActor;
  statement: string;
  signature: string;
}) {
  const person = requirePerson(actor);
  authorize(person, "emergency:respond");
  const { statement, signature } = ZSignedStatement.parse(input);
  const v = await verifySubmission(person, statement, signature);
  if (fromNonceKind(v.nonce.kind) !== "acknowledge" || v.nonce.subjectType !== "emergency")
    throw new AppError("VALIDATION", "This is not a standby acknowledgement.");
  const emergencyId = v.nonce.subjectId;
  return db.$transaction(async (tx: Tx) => {
    await lockEmergency(tx, emergencyId);
    const e = await tx.emergency.findUniqueOrThrow({
      where: { id: emergencyId },
      select: { state: true },
    });
    if (e.state === "RESOLVED" || e.state === "CLOSED")
      throw new AppError("CONFLICT", "This emergency is over.");
    const r = await tx.emergencyResponder.findUnique({
      where: { emergencyId_team: { emergencyId, team: v.parsed.team as never } },
    });
    if (!r || r.userId !== person.id)
      throw new AppError("FORBIDDEN", "You are not this team's named responder (any more).");
    if (r.acknowledgedAt) throw new AppError("CONFLICT", "Standby is already acknowledged.");
    const signed = await storeSignedStatement(tx, person, v, signature);
    await tx.emergencyResponder.update({
      where: { id: r.id },
      data: { acknowledgedAt: signed.receivedAt, statementId: signed.id },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "emergency.acknowledged",
      subjectType: "emergency",
      subjectId: emergencyId,
      payload: { team: r.team, fingerprint: signed.fingerprint, statementId: signed.id },
    });
    return { team: r.team, acknowledgedAt: signed.receivedAt };
  });
}
