import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { hashPassword, verifyPassword } from "../../crypto/password";
import { appendAuditEvent } from "../audit/append-event";
import { revokeAllTokens } from "../tokens/revoke-all-tokens";

/** A new password typed twice: shared by the password page and the set-your-password link. */
export const ZNewPassword = z
  .object({
    next: z.string().min(10, "New password: at least 10 characters").max(256),
    repeat: z.string(),
  })
  .refine((f) => f.next === f.repeat, {
    message: "The two new passwords differ",
    path: ["repeat"],
  });

export const ZChangePassword = ZNewPassword.safeExtend({
  current: z.string().min(1, "Enter your current password").max(256),
}).refine((f) => f.next !== f.current, {
  message: "Choose a password different from the current one",
  path: ["next"],
});

/**
 * A person sets their own password. Every live session and API token of theirs
 * ends (the session version moves on), and a temporary password stops being
 * temporary.
 */
export async function changePassword({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZChangePassword>) {
  const person = requirePerson(actor);
  const f = ZChangePassword.parse(input);
  const user = await db.user.findUniqueOrThrow({ where: { id: person.id } });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, f.current))) {
    throw new AppError("FORBIDDEN", "The current password is wrong.");
  }
  const passwordHash = await hashPassword(f.next);
  await db.$transaction(async (tx: Tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: person.id, passwordHash: user.passwordHash },
      data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 } },
    });
    if (count === 0)
      throw new AppError("CONFLICT", "Your password was changed meanwhile; sign in again.");
    await appendAuditEvent(tx, {
      actor: person,
      action: "user.password_changed",
      subjectType: "user",
      subjectId: person.id,
      payload: {},
    });
    await revokeAllTokens(tx, person, person.id, "password_changed");
  });
}
