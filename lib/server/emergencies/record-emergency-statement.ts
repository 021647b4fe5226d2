import "server-only";
import type { z } from "zod";
import type { TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { parseStatement } from "../../domain/statements";
import { acknowledgeStandby } from "./acknowledge-standby";
import { recordMove, ZRecordMove } from "./record-move";
import { recordRuling } from "./record-ruling";

/** A move's input is the widest: the statement, its signature and what a move may attach. */
export const ZRecordEmergencyStatement = ZRecordMove;

/**
 * A signed emergency statement, from any entry point: a standby
 * acknowledgement, a ruling, or a step of the ladder (with its attachments).
 * The kind is read from the text only to choose the use-case; each one
 * verifies the signature and checks the issued nonce's kind itself.
 * `emergencyId`, where the caller names an emergency (the API's URL), must be
 * the statement's own.
 */
export async function recordEmergencyStatement({
  actor,
  emergencyId,
  ...input
}: { actor: TActor; emergencyId?: string } & z.input<typeof ZRecordEmergencyStatement>) {
  const { statement, signature, diff, log, bugId, bugSummary } =
    ZRecordEmergencyStatement.parse(input);
  const parsed = parseStatement(statement);
  if (emergencyId !== undefined && parsed && parsed.emergency !== emergencyId)
    throw new AppError(
      "SIGNATURE_REFUSED",
      "The statement is for another emergency than the one in the URL.",
      { reason: "other-emergency" },
    );
  const kind = parsed?.kind;
  if (kind === "acknowledge")
    return { kind, ...(await acknowledgeStandby({ actor, statement, signature })) };
  if (kind === "ruling") return { kind, ...(await recordRuling({ actor, statement, signature })) };
  return recordMove({ actor, statement, signature, diff, log, bugId, bugSummary });
}
