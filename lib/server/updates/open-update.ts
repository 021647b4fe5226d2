import "server-only";
import type { Tx } from "../../db";
import type { TActor } from "../../auth/actor";
import { writeOutbox } from "../../jobs/outbox";
import { appendAuditEvent } from "../audit/append-event";

type TOpenable = { id: string; installationId: string; state: "VERIFIED" | "QUARANTINED" };
type TInstallationMode = { id: string; mode: "AUTOMATIC" | "SEMI_AUTOMATIC" | "MANUAL" };

/**
 * A VERIFIED package's update record (U4), opened in the transaction that
 * recorded the verdict: automatic installations complete it at once (and call
 * the post-update event), semi-automatic ones wait for a signed package-apply,
 * manual ones for the checklist. A package gets one record, however often it is
 * re-verified; a quarantined one gets none.
 */
export async function openUpdate(
  tx: Tx,
  actor: TActor,
  pkg: TOpenable,
  installation: TInstallationMode,
) {
  if (pkg.state !== "VERIFIED") return null;
  const existing = await tx.packageUpdate.findUnique({ where: { packageId: pkg.id } });
  if (existing) return existing;
  const automatic = installation.mode === "AUTOMATIC";
  const now = new Date();
  const update = await tx.packageUpdate.create({
    data: {
      packageId: pkg.id,
      installationId: installation.id,
      mode: installation.mode,
      state: automatic
        ? "COMPLETED"
        : installation.mode === "SEMI_AUTOMATIC"
          ? "AWAITING_APPLY"
          : "IN_PROGRESS",
      completedAt: automatic ? now : null,
    },
  });
  if (automatic) await completeUpdate(tx, actor, update.id, pkg.id, "AUTOMATIC");
  return update;
}

/** The end of every mode's path: the audit event and the post-update event through the outbox (U5). */
export async function completeUpdate(
  tx: Tx,
  actor: TActor,
  updateId: string,
  packageId: string,
  mode: "AUTOMATIC" | "SEMI_AUTOMATIC" | "MANUAL",
) {
  await appendAuditEvent(tx, {
    actor,
    action: "package.update-completed",
    subjectType: "package",
    subjectId: packageId,
    payload: { packageId, updateId, mode },
  });
  await writeOutbox(tx, "package.post-update", { updateId }, `package.post-update:${updateId}`);
}
