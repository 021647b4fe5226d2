import "server-only";
import { z } from "zod";
import { cleanLine, cleanText } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { ZReviewsRequired, ZTestsRequired } from "../../domain/policy";
import { NOT_REQUESTED_STATES } from "../../domain/patch-decisions";
import { appendAuditEvent } from "../audit/append-event";
import { lockPatch, syncPatchState } from "../patches/patch-facts";

export const ZSetPolicy = z.object({
  slug: cleanLine().trim().min(1),
  reviewsRequired: ZReviewsRequired,
  testsRequired: ZTestsRequired,
  reason: cleanText()
    .trim()
    .min(1, "Give the reason for the change; it goes into the audit log.")
    .max(1000),
});

/**
 * An admin changes how many reviews and tests a system requires (at least two
 * each), with a reason, audited. Patches not yet requested count under the new
 * policy at once (a READY patch may go back to review); a requested patch keeps
 * the policy its request was signed under (Signoff.reviewsRequired), and so
 * does its dossier.
 */
export async function setSystemPolicy({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZSetPolicy>) {
  authorize(actor, "systems:manage");
  const { slug, reviewsRequired, testsRequired, reason } = ZSetPolicy.parse(input);
  return db.$transaction(async (tx: Tx) => {
    const system = await tx.targetSystem.findUnique({ where: { slug } });
    if (!system) throw new AppError("NOT_FOUND", `No system ${slug}.`);
    const from = {
      reviewsRequired: system.reviewsRequired,
      testsRequired: system.testsRequired,
    };
    const { count } = await tx.targetSystem.updateMany({
      where: { id: system.id, ...from },
      data: { reviewsRequired, testsRequired },
    });
    if (count === 0)
      throw new AppError("CONFLICT", "The policy changed while this was being saved; try again.");
    // Each patch not yet requested is locked and its state derived again; a
    // request signed meanwhile waits for the lock and then reads the new policy.
    const patches = await tx.patch.findMany({
      where: { systemId: system.id, state: { in: NOT_REQUESTED_STATES } },
      select: { id: true },
      orderBy: { number: "asc" },
    });
    for (const p of patches) {
      await lockPatch(tx, p.id);
      await syncPatchState(tx, actor, p.id);
    }
    await appendAuditEvent(tx, {
      actor,
      action: "system.policy",
      subjectType: "system",
      subjectId: system.id,
      payload: {
        slug,
        from,
        to: { reviewsRequired, testsRequired },
        reason,
        patches: patches.length,
      },
    });
    return { slug, reviewsRequired, testsRequired, from, patches: patches.length };
  });
}
