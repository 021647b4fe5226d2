import { completeOutbox } from "../complete-outbox";
import { applyFailedMail } from "../mail/compose";
import { sendMailOnce } from "../mail/send-once";
import type { THandler } from "./context";
import { loadDeployment, requireAddress } from "./load-deployment";

/** P5: the assessment team learns that the apply failed, with the whole output of patch. */
export const sendApplyFailed: THandler<"patch.apply-failed"> = async (
  ctx,
  outboxId,
  { deploymentId },
) => {
  const d = await loadDeployment(deploymentId);
  const to = requireAddress(
    d.system.assessmentTeamAddress,
    "assessment team address",
    d.system.slug,
  );
  await sendMailOnce(ctx, `mail:apply-failed:${deploymentId}`, outboxId, () =>
    applyFailedMail(ctx, d, to),
  );
  await completeOutbox(outboxId);
};
