import "server-only";
import { db, newId, type Tx } from "../../db";
import type { PgpKey, SignedStatement, StatementNonce } from "../../generated/prisma/client";

import { AppError } from "../../errors";
import type { TPersonActor } from "../../auth/actor";
import { parseStatement } from "../../domain/statements";
import { verifyDetachedSignature } from "../../crypto/verify-signature";
import { signingRefusal } from "../keys/signing-key";
import { withDates } from "../json-rows";

function refuse(message: string, reason: string): never {
  throw new AppError("SIGNATURE_REFUSED", message, { reason });
}

/**
 * Checks a submitted statement and its signature before any transaction: the
 * server issued exactly this text to this person, the nonce is unused and
 * fresh, and one of the person's own live keys, the one named, made the
 * detached signature over these bytes.
 */
export async function verifySubmission(
  actor: TPersonActor,
  statement: string,
  signature: string,
  now = new Date(),
) {
  const parsed = parseStatement(statement);
  if (!parsed?.nonce) refuse("This is not a statement issued by Patchgate.", "not-issued");
  const { nonce, key } = await readNonceAndKey(parsed.nonce, parsed["key-fingerprint"] ?? "");
  if (!nonce || nonce.userId !== actor.id)
    refuse("This statement was not issued to you.", "not-issued");
  if (nonce.statement !== statement)
    refuse(
      "The statement differs from the one issued: sign it exactly as issued, byte for byte.",
      "modified",
    );
  if (nonce.usedAt)
    refuse("This statement's nonce was already used; fetch a new statement.", "nonce-reused");
  if (nonce.expiresAt <= now)
    refuse("This statement has expired; fetch a new one.", "expired-statement");
  if (!key || key.userId !== actor.id || key.removedAt)
    refuse("The statement names a key that is not one of your registered keys.", "not-your-key");
  // Judged at the server's receipt: a key revoked before now signs nothing more.
  const refusal = signingRefusal(key);
  if (refusal) refuse(refusal.message, refusal.reason);
  const verified = await verifyDetachedSignature({
    statement,
    armoredSignature: signature,
    armoredPublicKey: key.armored,
    now,
  });
  return { nonce, key, parsed, verified };
}

// The DateTime fields of PgpKey, read as JSON below (withDates).
const KEY_DATES = ["keyCreatedAt", "expiresAt", "addedAt", "removedAt", "revokedAt"] as const;

/**
 * The issued nonce's row and the named key's row, whole, in one raw statement: every signed
 * action passes here, and a round trip or a Prisma model query costs more CPU than the
 * reading (decision 0013). An integration test compares both with Prisma's own reads.
 */
export async function readNonceAndKey(
  nonce: string,
  fingerprint: string,
): Promise<{ nonce: StatementNonce | null; key: PgpKey | null }> {
  const [row] = await db.$queryRaw<(StatementNonce & { key: Record<string, unknown> | null })[]>`
    SELECT n.*, (SELECT to_jsonb(k) FROM "PgpKey" k WHERE k.fingerprint = ${fingerprint}) AS key
    FROM "StatementNonce" n WHERE n.nonce = ${nonce}`;
  if (!row) return { nonce: null, key: null };
  const { key, ...nonceRow } = row;
  return { nonce: nonceRow, key: key && withDates<PgpKey>(key, KEY_DATES) };
}

/**
 * Claims the nonce (once, ever) and stores the signed statement, inside the caller's
 * transaction: one statement, since every signed action of the portal passes here.
 */
export async function storeSignedStatement(
  tx: Tx,
  actor: TPersonActor,
  v: Awaited<ReturnType<typeof verifySubmission>>,
  signature: string,
): Promise<SignedStatement> {
  const now = new Date();
  const [signed] = await tx.$queryRaw<SignedStatement[]>`
    WITH claimed AS (
      UPDATE "StatementNonce" SET "usedAt" = ${now}
      WHERE id = ${v.nonce.id} AND "usedAt" IS NULL RETURNING id
    )
    INSERT INTO "SignedStatement" (id, kind, "subjectType", "subjectId", "signerId", "keyId",
      fingerprint, statement, signature, "nonceId", "receivedAt")
    SELECT ${newId()}, ${v.nonce.kind}, ${v.nonce.subjectType}, ${v.nonce.subjectId}, ${actor.id},
      ${v.key.id}, ${v.key.fingerprint}, ${v.nonce.statement}, ${signature.trim() + "\n"}, claimed.id,
      ${now}
    FROM claimed
    RETURNING *`;
  if (!signed)
    refuse("This statement's nonce was already used; fetch a new statement.", "nonce-reused");
  return signed;
}
