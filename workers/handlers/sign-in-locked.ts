import { db } from "../../lib/db";
import { formatWait, lockSeconds, LOCK_AFTER_FAILURES } from "../../lib/domain/sign-in-backoff";
import { textPart } from "../../lib/mail/mime";
import { completeOutbox } from "../complete-outbox";
import { keyLine, signedMail } from "../mail/compose";
import { domainOf, sendMailOnce } from "../mail/send-once";
import { PermanentError, type THandler } from "./context";

/** Issue 11, finding 4: the owner hears once per lock-out that someone kept guessing. */
export const sendSignInLocked: THandler<"user.sign-in-locked"> = async (
  ctx,
  outboxId,
  { userId, auditSeq },
) => {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new PermanentError(`user ${userId} does not exist`);
  const event = await db.auditEvent.findUnique({ where: { seq: BigInt(auditSeq) } });
  const at = event?.at.toISOString() ?? "just now";
  const address = (event?.payload as { address?: string | null } | null)?.address;
  await sendMailOnce(ctx, `mail:sign-in-locked:${userId}:${auditSeq}`, outboxId, async () =>
    signedMail(
      ctx,
      {
        to: [user.email],
        subject: "Patchgate: sign-in to your account locked after failed attempts",
        messageId: `<patchgate.sign-in-locked.${userId}.${auditSeq}@${domainOf(ctx.mailFrom)}>`,
      },
      textPart(
        [
          `Hello ${user.name},`,
          "",
          `${LOCK_AFTER_FAILURES} sign-ins to your Patchgate account (${user.email}) in a row used a wrong password, the last at ${at}${address ? ` from ${address}` : ""}.`,
          `Sign-in is locked for ${formatWait(lockSeconds(LOCK_AFTER_FAILURES))}; each further wrong password doubles the wait (at most one hour).`,
          "",
          "If this was you, wait and try again. If it was not, tell an admin: someone is guessing your password.",
          `Sign in: ${new URL("/login", ctx.publicUrl)}`,
          "",
          await keyLine(ctx),
        ].join("\n"),
      ),
    ),
  );
  await completeOutbox(outboxId);
};
