import "server-only";
import { z } from "zod";
import type { TActor } from "../../auth/actor";
import { listOutboxRows } from "./list-outbox";
import { describeOutbox } from "./describe-outbox";

export const OUTBOX_STATES = ["PENDING", "DONE", "FAILED"] as const;
export const ZOutboxFilter = z.object({
  state: z
    .enum(OUTBOX_STATES)
    .optional()
    .meta({ description: "Only rows in this state; absent: all, failed first." }),
});

/**
 * The outbox page's rows (outbox:manage), with the page's words for what each is
 * about and who receives it: failed first, then the newest, at most 200.
 */
export async function listOutboxEntries({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZOutboxFilter>) {
  const { state } = ZOutboxFilter.parse(input);
  // Only the rows: the page's counts and worker status are not part of this answer.
  const rows = await listOutboxRows({ actor, state });
  const words = await describeOutbox(rows);
  return rows.map((r) => {
    const w = words.get(r.id)!;
    return {
      id: r.id,
      kind: r.kind,
      state: r.state,
      about: w.about ? { label: w.about.label, href: w.about.href ?? null } : null,
      to: w.to,
      attempts: r.attempts,
      lastError: r.lastError,
      waitingFor: r.waitingFor,
      waitingSince: r.waitingSince,
      createdAt: r.createdAt,
      doneAt: r.doneAt,
    };
  });
}
