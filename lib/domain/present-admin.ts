import { AppError } from "../errors";

type TRecordPresence = { procedure: string; presence: readonly { userId: string; role: string }[] };

/**
 * P6: on the signing server only a critical admin who signed their own
 * presence at this visit ticks or decides steps; the quorum alone is not
 * enough, or an absent admin could record what the present ones did not see.
 */
export function assertPresentAdmin(record: TRecordPresence, personId: string): void {
  if (record.procedure !== "SIGNING_SERVER") return;
  if (record.presence.some((p) => p.userId === personId && p.role === "CRITICAL_ADMIN")) return;
  throw new AppError(
    "FORBIDDEN",
    "Only a critical admin present at the visit (who signed their presence) ticks the signing-server steps.",
  );
}
