import { z } from "zod";
import { env } from "../env";
import { RULING_VERDICTS } from "../domain/emergency-statements";
import { ZNameResponder } from "../server/emergencies/name-responder";
import { ZIssueEmergencyStatement } from "../server/emergencies/issue-emergency-statement";
import { ZRecordEmergencyStatement } from "../server/emergencies/record-emergency-statement";
import { MAX_JSON_BYTES } from "./json-body";

// The JSON bodies of the emergency and dispute routes: the use-cases' own
// schemas, less what the URL names (the emergency, the dispute).

export { ZDeclareEmergency } from "../server/emergencies/declare-emergency";
export { ZSignedStatement } from "../server/patches/record-signoff";

/** POST /emergencies/{number}/responders. */
export const ZResponderBody = ZNameResponder.omit({ emergencyId: true });

/** POST /emergencies/{number}/statement: every kind, with what each one takes. */
export const ZEmergencyStatementBody = ZIssueEmergencyStatement.omit({ emergencyId: true });

/** POST /emergencies/{number}/signoffs: the signed statement and the attachments it names. */
export const ZEmergencySignoffBody = ZRecordEmergencyStatement;

/** POST /disputes/{number}/statement: a ruling; the comment is the reasoning. */
export const ZRulingStatementBody = ZIssueEmergencyStatement.pick({
  comment: true,
  keyFingerprint: true,
}).extend({ verdict: z.enum(RULING_VERDICTS) });

/**
 * A body that may carry a diff (up to MAX_DIFF_BYTES) and a session log (up to
 * 2 MiB) as JSON strings: room for both, escaped, and the rest of the fields.
 */
export function attachmentJsonBytes(): number {
  return 2 * (env().MAX_DIFF_BYTES + 2 * 1024 * 1024) + MAX_JSON_BYTES;
}
