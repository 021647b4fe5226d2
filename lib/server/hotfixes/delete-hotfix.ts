import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { appendAuditEvent } from "../audit/append-event";
import { latestApplications, lockHotfix } from "./hotfix-facts";

/**
 * H5: a hotfix applied nowhere is deleted (kept with its history for the audit
 * log and its evidence bundle, gone from the list; the name may be uploaded
 * again). Failed and unapplied applications do not count as applied.
 */
export async function deleteHotfix({ actor, name }: { actor: TActor; name: string }) {
  authorize(actor, "hotfix:manage");
  await db.$transaction(async (tx) => {
    const hotfix = await lockHotfix(tx, name);
    const live = latestApplications(hotfix).filter(
      (a) => a.state === "APPLIED" || a.state === "VERIFIED",
    );
    if (live.length)
      throw new AppError(
        "CONFLICT",
        `${name} is still applied to ${live.map((a) => a.server.slug).join(", ")}: unapply it there first.`,
        { servers: live.map((a) => a.server.slug) },
      );
    await tx.hotfix.update({
      where: { id: hotfix.id },
      data: { deletedAt: new Date(), deletedById: actor.id },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "hotfix.deleted",
      subjectType: "hotfix",
      subjectId: hotfix.id,
      payload: { name },
    });
  });
}
