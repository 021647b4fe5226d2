import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "../../db";
import type { TPersonActor } from "../../auth/actor";
import { buildStatement, type TStatementFields } from "../../domain/statements";
import { signingKey } from "../keys/signing-key";

export const STATEMENT_TTL_MS = 60 * 60_000;

type TPatchStatementFields = Omit<
  TStatementFields,
  "signerId" | "signerEmail" | "keyFingerprint" | "nonce" | "issuedAt"
>;

/**
 * Writes a patch statement for this person to sign, with their signing key (or
 * the one named) and a fresh single-use nonce bound to them and to exactly
 * this text; the caller has checked that they may make it now.
 */
export async function writePatchStatement(
  person: TPersonActor,
  fields: TPatchStatementFields,
  keyFingerprint?: string,
) {
  const key = await signingKey(person.id, keyFingerprint);
  const nonce = randomBytes(16).toString("hex");
  const issuedAt = new Date();
  const statement = buildStatement({
    ...fields,
    signerId: person.id,
    signerEmail: person.email,
    keyFingerprint: key.fingerprint,
    nonce,
    issuedAt,
  });
  const expiresAt = new Date(issuedAt.getTime() + STATEMENT_TTL_MS);
  await db.statementNonce.create({
    data: {
      nonce,
      userId: person.id,
      kind: fields.kind,
      subjectType: "patch",
      subjectId: fields.patchId,
      statement,
      issuedAt,
      expiresAt,
    },
  });
  return { statement, nonce, expiresAt, keyFingerprint: key.fingerprint };
}
