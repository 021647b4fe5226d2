import type { TOutboxKind } from "../../lib/jobs/outbox";
import type { THandler } from "./context";
import { runHttpsCheck } from "./https-check";
import { postVerificationComment } from "./verification-comment";
import { sendApplyFailed } from "./apply-failed";
import { updateBug } from "./bug-update";
import { mirrorTarball } from "./mirror";
import { sendNotification } from "./notify";
import { sendReply } from "./reply";
import { emergencyNotice } from "./emergency-notice";
import { postTestResult } from "./emergency-test-result";
import { sendSignInLocked } from "./sign-in-locked";
import { sendPasswordLink } from "./password-link";
import { sendCertificateExpiry } from "./certificate-expiry";
import { callPostUpdate } from "./post-update";
import { sendCheckpoint } from "./log-checkpoint";

// One idempotent handler per outbox kind. Kinds other areas write before their
// handler exists fail their row with "no handler" (an admin retries it later).
export const HANDLERS: { [K in TOutboxKind]: THandler<K> } = {
  "deployment.notify": sendNotification,
  "deployment.bug-update": updateBug,
  "deployment.reply": sendReply,
  "deployment.mirror": mirrorTarball,
  "patch.apply-failed": sendApplyFailed,
  "emergency.declared": emergencyNotice("emergency.declared"),
  "emergency.escalation": emergencyNotice("emergency.escalation"),
  "emergency.reminder": emergencyNotice("emergency.reminder"),
  "emergency.test-result": postTestResult,
  "emergency.forwarded": emergencyNotice("emergency.forwarded"),
  "emergency.deadline": emergencyNotice("emergency.deadline"),
  "emergency.closed": emergencyNotice("emergency.closed"),
  "dispute.filed": emergencyNotice("dispute.filed"),
  "dispute.ruled": emergencyNotice("dispute.ruled"),
  "user.sign-in-locked": sendSignInLocked,
  "user.password-link": sendPasswordLink,
  "certificate.expiry": sendCertificateExpiry,
  "package.post-update": callPostUpdate,
  "update.https-check": runHttpsCheck,
  "update.verification-comment": postVerificationComment,
  "log.checkpoint": sendCheckpoint,
};
