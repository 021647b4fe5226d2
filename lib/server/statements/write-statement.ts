import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "../../db";
import type { TPersonActor } from "../../auth/actor";
import { buildStatement, type TStatementFields } from "../../domain/statements";
import { signingKey } from "../keys/signing-key";

export const STATEMENT_TTL_MS = 60 * 60_000;

/** The fields every statement kind carries about its signer and its single use. */
export type TSignerFields = {
  signerId: string;
  signerEmail: string;
  keyFingerprint: string;
  nonce: string;
  issuedAt: Date;
};

type TNonceSubject = {
  /** The nonce's kind: what the recording side accepts this statement as. */
  kind: string;
  subjectType: string;
  subjectId: string;
};

/**
 * Writes a statement for this person to sign, with their signing key (or the
 * one named) and a fresh single-use nonce bound to them, to the subject and to
 * exactly this text; `build` makes the text of the area's own format. The
 * caller has checked that they may make it now.
 */
export async function writeStatement(
  person: TPersonActor,
  subject: TNonceSubject,
  build: (signer: TSignerFields) => string,
  keyFingerprint?: string,
  issuedAt = new Date(),
) {
  const key = await signingKey(person.id, keyFingerprint);
  const nonce = randomBytes(16).toString("hex");
  const statement = build({
    signerId: person.id,
    signerEmail: person.email,
    keyFingerprint: key.fingerprint,
    nonce,
    issuedAt,
  });
  const expiresAt = new Date(issuedAt.getTime() + STATEMENT_TTL_MS);
  await db.statementNonce.create({
    data: { nonce, userId: person.id, ...subject, statement, issuedAt, expiresAt },
  });
  return { statement, nonce, expiresAt, keyFingerprint: key.fingerprint };
}

type TPatchStatementFields = Omit<TStatementFields, keyof TSignerFields>;

/** A patch statement (docs/statements.md). */
export function writePatchStatement(
  person: TPersonActor,
  fields: TPatchStatementFields,
  keyFingerprint?: string,
) {
  return writeStatement(
    person,
    { kind: fields.kind, subjectType: "patch", subjectId: fields.patchId },
    (signer) => buildStatement({ ...fields, ...signer }),
    keyFingerprint,
  );
}
