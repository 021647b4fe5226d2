import { findReceipt } from "../effects";
import { completeOutbox } from "../complete-outbox";
import type { TMailReceipt } from "../mail/send-once";
import { updateMantis } from "../tracker/mantis";
import { postWebhook } from "../tracker/webhook";
import { PermanentError, type THandler } from "./context";
import { loadDeployment } from "./load-deployment";
import { notifyKey } from "./notify";

/** Step 11 (P8): the bug is set to "Solved?" with a note pointing at the notification. */
export const updateBug: THandler<"deployment.bug-update"> = async (
  ctx,
  outboxId,
  { deploymentId },
) => {
  const d = await loadDeployment(deploymentId);
  const { system, patch } = d;
  if (!system.trackerKind || !system.trackerUrl || !system.trackerSecretEnv) {
    throw new PermanentError(
      `system ${system.slug} has no bug tracker configured (patchgate system set ${system.slug} --tracker ...)`,
    );
  }
  const secret = ctx.secret(system.trackerSecretEnv);
  if (!secret)
    throw new PermanentError(
      `the environment variable ${system.trackerSecretEnv} (the tracker secret of ${system.slug}) is not set`,
    );
  const notification = await findReceipt<TMailReceipt>(notifyKey(deploymentId));
  if (notification?.status !== "sent")
    throw new Error("waiting for the notification (step 10) to be sent");

  const installedAt = (d.step(9)?.doneAt ?? d.step(5)?.doneAt ?? new Date()).toISOString();
  const patchUrl = new URL(`/patches/${patch.id}`, ctx.publicUrl).toString();
  const note = [
    `Patch #${patch.number} "${patch.title}" was installed on ${system.name} at ${installedAt}.`,
    `Signed notification: ${notification.messageId} to ${notification.envelope.to.join(", ")} (sent ${notification.sentAt ?? "?"}).`,
    `Deployment record: ${patchUrl}`,
  ].join("\n");
  const base = { deploymentId, outboxId, bugId: patch.bugId, note, timeoutMs: ctx.timeoutMs };
  const evidence =
    system.trackerKind === "MANTIS"
      ? await updateMantis(system.trackerUrl, secret, base)
      : await postWebhook(system.trackerUrl, secret, {
          ...base,
          payload: {
            system: system.slug,
            patch: { number: patch.number, title: patch.title, url: patchUrl },
            installedAt,
            notification: { messageId: notification.messageId, to: notification.envelope.to },
          },
        });
  await completeOutbox(outboxId, { deploymentId, number: 11, evidence });
};
