import "server-only";
import type { z } from "zod";
import type { TActor } from "../../auth/actor";
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
 */
export async function recordEmergencyStatement({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRecordEmergencyStatement>) {
  const { statement, signature, diff, log, bugId, bugSummary } =
    ZRecordEmergencyStatement.parse(input);
  const kind = parseStatement(statement)?.kind;
  if (kind === "acknowledge")
    return { kind, ...(await acknowledgeStandby({ actor, statement, signature })) };
  if (kind === "ruling") return { kind, ...(await recordRuling({ actor, statement, signature })) };
  return recordMove({ actor, statement, signature, diff, log, bugId, bugSummary });
}
