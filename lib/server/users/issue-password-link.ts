import "server-only";
import type { Tx } from "../../db";
import type { TActor } from "../../auth/actor";
import { env } from "../../env";
import { writeOutbox } from "../../jobs/outbox";
import { appendAuditEvent } from "../audit/append-event";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Queues the one-time set-your-password mail for a new account, in the
 * caller's transaction. The row holds no secret yet: the worker makes it when
 * it sends the mail, so the link exists only in the mail and as a hash.
 */
export async function issuePasswordLink(tx: Tx, actor: TActor, userId: string) {
  const expiresAt = new Date(Date.now() + env().PASSWORD_LINK_HOURS * HOUR_MS);
  const setup = await tx.passwordSetup.create({ data: { userId, expiresAt } });
  await writeOutbox(tx, "user.password-link", { setupId: setup.id }, `password-link:${setup.id}`);
  await appendAuditEvent(tx, {
    actor,
    action: "user.password_link_issued",
    subjectType: "user",
    subjectId: userId,
    payload: { setupId: setup.id, expiresAt: expiresAt.toISOString() },
  });
  return setup;
}
