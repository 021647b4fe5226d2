import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";
import { isUniqueViolation } from "../prisma-errors";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { ZSignedStatement } from "../patches/record-signoff";
import { loadOpenDeployment } from "./deployment-facts";

/** P6: a critical admin or access engineer signs their presence at the signing-server visit. */
export async function recordPresence({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZSignedStatement>) {
  const person = requirePerson(actor);
  const { statement, signature } = ZSignedStatement.parse(input);
  const v = await verifySubmission(person, statement, signature);
  if (v.nonce.kind !== "presence")
    throw new AppError("VALIDATION", "This is not a presence statement.");
  const role = v.parsed.role === "critical-admin" ? "CRITICAL_ADMIN" : "ACCESS_ENGINEER";
  if (!person.roles.includes(role))
    throw new AppError("FORBIDDEN", `You no longer hold the ${v.parsed.role} role.`);
  try {
    return await db.$transaction(async (tx: Tx) => {
      const { record } = await loadOpenDeployment(tx, v.nonce.subjectId);
      if (record.id !== v.parsed.deployment || record.state !== "OPEN") {
        throw new AppError(
          "CONFLICT",
          "The statement is for another deployment, or this one is closed.",
        );
      }
      const signed = await storeSignedStatement(tx, person, v, signature);
      await tx.visitPresence.create({
        data: { recordId: record.id, userId: person.id, role, statementId: signed.id },
      });
      await appendAuditEvent(tx, {
        actor: person,
        action: "deployment.presence",
        subjectType: "deployment",
        subjectId: record.id,
        payload: {
          patchId: record.patchId,
          role,
          fingerprint: signed.fingerprint,
          statementId: signed.id,
        },
      });
      return { role, fingerprint: signed.fingerprint, receivedAt: signed.receivedAt };
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("CONFLICT", "You already signed your presence for this visit.");
    throw e;
  }
}
