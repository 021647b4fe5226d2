import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { AppError } from "../../errors";
import { hashPassword } from "../../crypto/password";
import { hashLinkSecret, looksLikeLinkSecret } from "../../crypto/tokens";
import { loadActor } from "../../auth/load-actor";
import { appendAuditEvent } from "../audit/append-event";
import { revokeAllTokens } from "../tokens/revoke-all-tokens";
import { ZNewPassword } from "./change-password";

const DEAD =
  "This link is not valid: it was used already, has expired or never existed. Ask an admin for a new account link.";

/** Where a link's secret is live: unused, unexpired, and the one the mail carried. */
function liveWhere(secret: string, now: Date) {
  return { tokenHash: hashLinkSecret(secret), usedAt: null, expiresAt: { gt: now } };
}

/** For the public page: whose account a live link opens, or null. */
export async function findPasswordLink(secret: string) {
  if (!looksLikeLinkSecret(secret)) return null;
  const setup = await db.passwordSetup.findFirst({
    where: liveWhere(secret, new Date()),
    select: { expiresAt: true, user: { select: { email: true, name: true, disabledAt: true } } },
  });
  return setup && !setup.user.disabledAt ? setup : null;
}

export const ZSetPasswordWithLink = ZNewPassword.safeExtend({ secret: z.string().max(100) });

/**
 * The person behind a mailed link chooses their password. The link dies in the
 * same transaction (a guarded update: two tabs cannot both use it), with every
 * other open link of theirs; sessions and tokens of the account end too.
 */
export async function setPasswordWithLink(input: z.input<typeof ZSetPasswordWithLink>) {
  const { secret, next } = ZSetPasswordWithLink.parse(input);
  if (!looksLikeLinkSecret(secret)) throw new AppError("NOT_FOUND", DEAD);
  const passwordHash = await hashPassword(next);
  await db.$transaction(async (tx: Tx) => {
    const now = new Date();
    const setup = await tx.passwordSetup.findFirst({ where: liveWhere(secret, now) });
    if (!setup) throw new AppError("NOT_FOUND", DEAD);
    const { count } = await tx.passwordSetup.updateMany({
      where: { id: setup.id, usedAt: null },
      data: { usedAt: now },
    });
    if (count === 0) throw new AppError("NOT_FOUND", DEAD);
    await tx.passwordSetup.updateMany({
      where: { userId: setup.userId, usedAt: null },
      data: { usedAt: now },
    });
    const person = await loadActor(setup.userId);
    if (!person) throw new AppError("FORBIDDEN", "This account is disabled.");
    await tx.user.update({
      where: { id: setup.userId },
      data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 } },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "user.password_set",
      subjectType: "user",
      subjectId: person.id,
      payload: { setupId: setup.id },
    });
    await revokeAllTokens(tx, person, person.id, "password_set");
  });
}
