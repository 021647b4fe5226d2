import { db } from "../../lib/db";
import { newLinkSecret } from "../../lib/crypto/tokens";
import { completeOutbox } from "../complete-outbox";
import { findReceipt, writeReceipt } from "../effects";
import { passwordLinkMail } from "../mail/password-link";
import { smtpTransport } from "../mail/transport";
import { PermanentError, type THandler } from "./context";

/**
 * Makes the link's secret and mails it. Unlike sendMailOnce, the built message
 * is not stored (it holds the secret): only its hash is kept on the row. A
 * crash between the server's 250 and the receipt sends a second mail with a
 * fresh secret, and the first link dies with the hash it replaced.
 */
export const sendPasswordLink: THandler<"user.password-link"> = async (
  ctx,
  outboxId,
  { setupId },
) => {
  const key = `mail:password-link:${setupId}`;
  if (!(await findReceipt(key))) {
    const setup = await db.passwordSetup.findUnique({
      where: { id: setupId },
      include: { user: { select: { name: true, email: true } } },
    });
    if (!setup) throw new PermanentError(`no password setup ${setupId}`);
    // A used or expired link needs no mail; the row is simply done.
    if (!setup.usedAt && setup.expiresAt > new Date()) {
      const { secret, hash } = newLinkSecret();
      const { count } = await db.passwordSetup.updateMany({
        where: { id: setupId, usedAt: null },
        data: { tokenHash: hash },
      });
      if (count === 1) {
        const mail = await passwordLinkMail(ctx, setup, secret);
        const info = await smtpTransport(ctx.smtpUrl, ctx.timeoutMs).sendMail({
          envelope: mail.envelope,
          raw: mail.raw,
        });
        await writeReceipt(key, outboxId, {
          status: "sent",
          messageId: mail.messageId,
          to: mail.envelope.to,
          response: String(info.response ?? ""),
          sentAt: new Date().toISOString(),
        });
      }
    }
  }
  await completeOutbox(outboxId);
};
