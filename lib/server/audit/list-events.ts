import "server-only";
import { z } from "zod";
import { PG_BIGINT_MAX, cleanLine } from "../../domain/input-hygiene";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";

export const ZAuditFilter = z.object({
  action: cleanLine().trim().max(100).optional(),
  subject: cleanLine().trim().max(100).optional(),
  by: cleanLine().trim().max(200).optional(),
  before: z.coerce.bigint().positive().max(PG_BIGINT_MAX).optional(),
});

const PAGE = 50;

/** Newest first, keyset-paginated by sequence number. */
export async function listAuditEvents({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZAuditFilter>) {
  authorize(actor, "audit:read");
  const f = ZAuditFilter.parse(input);
  const rows = await db.auditEvent.findMany({
    where: {
      ...(f.action ? { action: { startsWith: f.action } } : {}),
      ...(f.subject ? { OR: [{ subjectId: f.subject }, { subjectType: f.subject }] } : {}),
      ...(f.by ? { actorLabel: { contains: f.by, mode: "insensitive" as const } } : {}),
      ...(f.before ? { seq: { lt: f.before } } : {}),
    },
    orderBy: { seq: "desc" },
    take: PAGE + 1,
  });
  return {
    events: rows.slice(0, PAGE),
    nextBefore: rows.length > PAGE ? rows[PAGE - 1].seq : null,
  };
}
