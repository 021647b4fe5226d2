import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { env } from "../../env";
import { checkPassword } from "../../crypto/check-password";
import { LOCK_AFTER_FAILURES, type TSignInRefusal } from "../../domain/sign-in-backoff";
import { writeOutbox } from "../../jobs/outbox";
import { appendAuditEvent, appendAuditEventNow } from "../audit/append-event";
import { beginAttempt, recordFailure, recordSuccess } from "./sign-in-throttle";

const ZCredentials = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(256),
});

export class SignInRefused extends Error {
  override name = "SignInRefused";
  constructor(readonly refusal: TSignInRefusal) {
    super(refusal.kind);
  }
}

export type TSignedIn = {
  id: string;
  email: string;
  name: string;
  sessionVersion: number;
  /** The AuthSession row the session cookie names. */
  sessionId: string;
};

type TFailure =
  "unknown_email" | "wrong_password" | "disabled" | "account_locked" | "address_limited";

/**
 * The credentials check behind Auth.js's authorize(): throttle, password,
 * audit, and on success a server-side session with its absolute end.
 */
export async function signInWithPassword(input: {
  credentials: unknown;
  address: string | null;
}): Promise<TSignedIn> {
  const parsed = ZCredentials.safeParse(input.credentials);
  if (!parsed.success) throw new SignInRefused({ kind: "wrong_credentials" });
  const { email, password } = parsed.data;
  const { address } = input;

  const attempt = await beginAttempt(email, address);
  const user = await db.user.findUnique({ where: { email } });
  if (!attempt.allowed) {
    await auditFailure(email, user, attempt.refusal.kind, address);
    throw new SignInRefused(attempt.refusal);
  }
  // Argon2 runs whether or not the user exists: the timing reveals no accounts.
  const ok = await checkPassword(user?.passwordHash, password);
  if (!user || !ok || user.disabledAt) {
    const reason: TFailure = !user ? "unknown_email" : !ok ? "wrong_password" : "disabled";
    const { failures, waitSeconds } = await recordFailure(attempt.number, address);
    await auditFailure(email, user, reason, address, failures);
    throw new SignInRefused(
      waitSeconds > 0 ? { kind: "account_locked", waitSeconds } : { kind: "wrong_credentials" },
    );
  }

  await recordSuccess(email);
  const expiresAt = new Date(Date.now() + env().SESSION_MAX_AGE_HOURS * 3_600_000);
  const session = await db.$transaction(async (tx) => {
    const row = await tx.authSession.create({ data: { userId: user.id, expiresAt } });
    await appendAuditEvent(tx, {
      actor: { id: user.id, label: user.email },
      action: "user.signed_in",
      subjectType: "user",
      subjectId: user.id,
      payload: { sessionId: row.id, expiresAt: expiresAt.toISOString(), address },
    });
    return row;
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    sessionVersion: user.sessionVersion,
    sessionId: session.id,
  };
}

/**
 * One audit event per refused attempt (never the password). The failure that
 * first locks a real, active account also queues one mail to its owner.
 */
async function auditFailure(
  email: string,
  user: { id: string; email: string; disabledAt: Date | null } | null,
  reason: TFailure,
  address: string | null,
  failures?: number,
) {
  await db.$transaction(async (tx) => {
    // The lock mail's dedupe key names this event, so it is written now, not at commit.
    const event = await appendAuditEventNow(tx, {
      actor: user ? { id: user.id, label: user.email } : { id: null, label: email },
      action: "user.sign_in_failed",
      subjectType: user ? "user" : "email",
      subjectId: user ? user.id : email,
      payload: { email, reason, address, ...(failures === undefined ? {} : { failures }) },
    });
    if (user && !user.disabledAt && failures === LOCK_AFTER_FAILURES)
      await writeOutbox(
        tx,
        "user.sign-in-locked",
        { userId: user.id, auditSeq: event.seq.toString() },
        `sign-in-locked:${user.id}:${event.seq}`,
      );
  });
}
