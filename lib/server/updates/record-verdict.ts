import "server-only";
import type { Tx } from "../../db";
import type { TActor } from "../../auth/actor";
import { appendAuditEvent } from "../audit/append-event";
import { openUpdate } from "./open-update";
import { trustNames, type TTrust } from "./package-facts";

type TJudged = {
  id: string;
  installationId: string;
  state: "VERIFIED" | "QUARANTINED";
  reason: string | null;
};

/**
 * What every verdict writes, the first one and each re-verification's, in the
 * transaction that set it on the package: its PackageVerdict row with the
 * trust it was checked against, the `package.verdict` event, and a VERIFIED
 * package's update record.
 */
export async function recordVerdict(
  tx: Tx,
  actor: TActor,
  installation: { id: string; slug: string; mode: "AUTOMATIC" | "SEMI_AUTOMATIC" | "MANUAL" },
  pkg: TJudged,
  trust: TTrust,
  at: Date,
) {
  const names = trustNames(trust);
  await tx.packageVerdict.create({
    data: { packageId: pkg.id, state: pkg.state, reason: pkg.reason, ...names, byId: actor.id, at },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "package.verdict",
    subjectType: "package",
    subjectId: pkg.id,
    payload: {
      installation: installation.slug,
      packageId: pkg.id,
      state: pkg.state,
      reason: pkg.reason,
      certificates: names.certificateSha256s,
      pgpKeys: names.pgpFingerprints,
    },
  });
  await openUpdate(tx, actor, pkg, installation);
}
