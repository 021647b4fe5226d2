import { completeOutbox } from "../complete-outbox";
import { notificationMail } from "../mail/compose";
import { sendMailOnce } from "../mail/send-once";
import type { THandler } from "./context";
import { loadDeployment, requireAddress } from "./load-deployment";

export const notifyKey = (deploymentId: string) => `mail:notify:${deploymentId}`;

/** Step 10: the signed notification to the system-log list. */
export const sendNotification: THandler<"deployment.notify"> = async (
  ctx,
  outboxId,
  { deploymentId },
) => {
  const d = await loadDeployment(deploymentId);
  const to = requireAddress(d.system.systemLogAddress, "system-log list address", d.system.slug);
  const sent = await sendMailOnce(ctx, notifyKey(deploymentId), outboxId, () =>
    notificationMail(ctx, d, to),
  );
  await completeOutbox(outboxId, {
    deploymentId,
    number: 10,
    evidence: {
      messageId: sent.messageId,
      to: sent.envelope.to,
      smtpResponse: sent.response ?? null,
      sentAt: sent.sentAt ?? null,
    },
  });
};
