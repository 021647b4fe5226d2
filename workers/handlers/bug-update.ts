import { findReceipt } from "../effects";
import { completeOutbox } from "../complete-outbox";
import type { TMailReceipt } from "../mail/send-once";
import { updateMantis } from "../tracker/mantis";
import { postWebhook } from "../tracker/webhook";
import { trackerOf } from "../tracker/system-tracker";
import { NotReadyError, type THandler } from "./context";
import { loadDeployment } from "./load-deployment";
import { notifyKey } from "./notify";
import { formatInstant, installedAt, notificationLink } from "../../lib/domain/notification";

/** Step 11 (P8): the bug is set to "Solved?" with a note pointing at the notification. */
export const updateBug: THandler<"deployment.bug-update"> = async (
  ctx,
  outboxId,
  { deploymentId },
) => {
  const d = await loadDeployment(deploymentId);
  const { system, patch } = d;
  const tracker = trackerOf(ctx, system);
  const notification = await findReceipt<TMailReceipt>(notifyKey(deploymentId));
  if (notification?.status !== "sent")
    throw new NotReadyError("the notification (step 10) to be sent");

  const installed = installedAt(d.record.steps) ?? new Date();
  const patchUrl = new URL(`/patches/${patch.id}`, ctx.publicUrl).toString();
  const recordUrl = new URL(`/patches/${patch.id}/deployment`, ctx.publicUrl).toString();
  // P8: the seed points at the notification in the list's archive; without one, at the record.
  const link = notificationLink(system.listArchiveUrl, notification.messageId, recordUrl);
  const note = [
    `Patch #${patch.number} "${patch.title}" was installed on ${system.name} at ${formatInstant(installed)}.`,
    `Signed notification: ${notification.messageId} to ${notification.envelope.to.join(", ")} (sent ${notification.sentAt ?? "?"}).`,
    link.where === "archive"
      ? `In the list archive: ${link.url}`
      : `Deployment record: ${link.url}`,
  ].join("\n");
  const base = { deploymentId, outboxId, bugId: patch.bugId, note, timeoutMs: ctx.timeoutMs };
  const evidence =
    tracker.kind === "MANTIS"
      ? await updateMantis(tracker.url, tracker.secret, base)
      : await postWebhook(tracker.url, tracker.secret, {
          ...base,
          payload: {
            system: system.slug,
            patch: { number: patch.number, title: patch.title, url: patchUrl },
            installedAt: installed.toISOString(),
            notification: {
              messageId: notification.messageId,
              to: notification.envelope.to,
              url: link.url,
            },
          },
        });
  await completeOutbox(outboxId, { deploymentId, number: 11, evidence });
};
