import "server-only";
import type { Tx } from "../../db";
import type { TPersonActor } from "../../auth/actor";
import type { TDisputeCause } from "../../domain/emergency-ladder";
import { appendAuditEvent } from "../audit/append-event";
import { writeOutbox } from "../../jobs/outbox";

const REASON: Record<TDisputeCause, string> = {
  option2:
    "Emergency handled under option 2: a critical admin deployed an assessor's patch outside the update cycle.",
  option3:
    "Emergency handled under option 3: remote access to the critical system under a critical admin's watch.",
};

/** E4/E5: the dispute is filed automatically, inside the transaction of the move that calls for it. */
export async function fileDispute(
  tx: Tx,
  actor: TPersonActor,
  emergencyId: string,
  cause: TDisputeCause,
  documentation: string,
) {
  const d = await tx.dispute.create({
    data: { emergencyId, reason: `${REASON[cause]}\n\n${documentation}`.trim() },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "dispute.filed",
    subjectType: "dispute",
    subjectId: d.id,
    payload: { emergencyId, number: d.number, cause },
  });
  await writeOutbox(tx, "dispute.filed", { disputeId: d.id }, `dispute:${d.id}:filed`);
  return d;
}
