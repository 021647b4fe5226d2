// Test helpers for the emergency integration tests (not imported by the app).
import { detachSign, type TSigner } from "./signers";
import {
  issueEmergencyStatement,
  type TIssueEmergencyStatement,
} from "../lib/server/emergencies/issue-emergency-statement";
import { recordEmergencyStatement } from "../lib/server/emergencies/record-emergency-statement";

type TStep = Omit<TIssueEmergencyStatement, "emergencyId" | "kind" | "comment">;

/** Fetches the statement, signs it, records it: one emergency step from start to end. */
export async function sign(
  who: TSigner,
  emergencyId: string,
  kind: TIssueEmergencyStatement["kind"],
  comment = "",
  extra: TStep = {},
) {
  const { statement } = await issueEmergencyStatement({
    actor: who,
    emergencyId,
    kind,
    comment,
    ...extra,
  });
  const signature = await detachSign(who.privateKey, statement);
  return recordEmergencyStatement({
    actor: who,
    statement,
    signature,
    diff: extra.diff,
    log: extra.log,
    bugId: extra.bugId,
    bugSummary: extra.bugSummary,
  });
}
