import { findReceipt } from "../effects";
import { completeOutbox } from "../complete-outbox";
import { replyMail } from "../mail/compose";
import { sendMailOnce, type TMailReceipt } from "../mail/send-once";
import { NotReadyError, type THandler } from "./context";
import { loadDeployment, requireAddress } from "./load-deployment";
import { notifyKey } from "./notify";

/** Step 12: the reply to the assessment team, forwarding the notification once it went out. */
export const sendReply: THandler<"deployment.reply"> = async (ctx, outboxId, { deploymentId }) => {
  const d = await loadDeployment(deploymentId);
  const to = requireAddress(
    d.system.assessmentTeamAddress,
    "assessment team address",
    d.system.slug,
  );
  const notification = await findReceipt<TMailReceipt>(notifyKey(deploymentId));
  // Waits (spending no retry) until step 10 is done: the reply forwards what was really sent.
  if (notification?.status !== "sent")
    throw new NotReadyError("the notification (step 10) to be sent");
  const sent = await sendMailOnce(ctx, `mail:reply:${deploymentId}`, outboxId, () =>
    replyMail(ctx, d, to, notification, notification.envelope.to.join(", ")),
  );
  await completeOutbox(outboxId, {
    deploymentId,
    number: 12,
    evidence: {
      messageId: sent.messageId,
      to: sent.envelope.to,
      forwarded: notification.messageId,
      smtpResponse: sent.response ?? null,
      sentAt: sent.sentAt ?? null,
    },
  });
};
