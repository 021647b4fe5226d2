import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { eventLine } from "../dossier/audit-excerpt";
import { auditLeaf } from "./tree-store";
import { parseQuery, ZLogCount as index } from "./params";

export const MAX_LEAVES = 1000;

export const ZLeavesQuery = z
  .object({
    start: index.meta({ description: "The first leaf." }),
    end: index.meta({ description: "One past the last leaf; at most 1000 leaves per call." }),
  })
  .refine((q) => q.start < q.end, { message: "start must be smaller than end", path: ["start"] })
  .refine((q) => q.end - q.start <= MAX_LEAVES, {
    message: `at most ${MAX_LEAVES} leaves per call`,
    path: ["end"],
  });

/**
 * Leaves [start, end) with their events. Leaves carry payloads (an emergency's
 * title before it may be published), so reading them needs audit:read.
 */
export async function logLeaves({ actor, ...input }: { actor: TActor } & Record<string, unknown>) {
  authorize(actor, "audit:read");
  const { start, end } = parseQuery(ZLeavesQuery, input);
  const rows = await db.auditEvent.findMany({
    where: { seq: { gt: BigInt(start), lte: BigInt(end) } },
    orderBy: { seq: "asc" },
  });
  return {
    leaves: rows.map((e) => ({
      index: Number(e.seq) - 1,
      seq: e.seq.toString(),
      leaf: Buffer.from(auditLeaf(e)).toString("base64"),
      event: eventLine(e),
    })),
  };
}
