import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanId } from "../../domain/input-hygiene";
import { appendAuditEvent } from "../audit/append-event";
import { openUpdate } from "./open-update";
import {
  activeTrust,
  judgePackage,
  presentPackageResult,
  RESULT_SELECT,
  trustNames,
  verdictFields,
  type TPackageResult,
} from "./package-facts";

/**
 * U2: verifies a kept package again against the installation's trust as it is
 * now (after an admin replaced the certificate, say) and records the new
 * verdict beside the earlier ones. A package that became VERIFIED opens its
 * update record; one verified before keeps the record it has.
 */
export async function reverifyPackage({
  actor,
  id,
}: {
  actor: TActor;
  id: string;
}): Promise<TPackageResult> {
  authorize(actor, "package:manage");
  const packageId = cleanId().parse(id);
  const pkg = await db.updatePackage.findUnique({
    where: { id: packageId },
    select: {
      id: true,
      data: true,
      signature: true,
      verifiedAt: true,
      installation: { select: { id: true, slug: true, name: true, mode: true } },
    },
  });
  if (!pkg) throw new AppError("NOT_FOUND", `No package ${packageId}.`);
  const { installation } = pkg;
  const trust = await activeTrust(db, installation.id);
  const at = new Date();
  const verdict = await judgePackage({
    data: new Uint8Array(pkg.data),
    signature: pkg.signature ? new Uint8Array(pkg.signature) : null,
    trust,
    installationName: installation.name,
    at,
  });
  const names = trustNames(trust);

  return db.$transaction(
    async (tx) => {
      // Guarded: a verdict recorded meanwhile by another re-verification wins; this one is refused.
      const { count } = await tx.updatePackage.updateMany({
        where: { id: pkg.id, verifiedAt: pkg.verifiedAt },
        data: verdictFields(verdict, at),
      });
      if (count === 0)
        throw new AppError(
          "CONFLICT",
          "The package was verified again meanwhile; reload it to see the latest verdict.",
        );
      const updated = await tx.updatePackage.findUniqueOrThrow({
        where: { id: pkg.id },
        select: RESULT_SELECT,
      });
      await tx.packageVerdict.create({
        data: {
          packageId: pkg.id,
          state: updated.state,
          reason: updated.reason,
          ...names,
          byId: actor.id,
          at,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "package.verdict",
        subjectType: "package",
        subjectId: pkg.id,
        payload: {
          installation: installation.slug,
          packageId: pkg.id,
          state: updated.state,
          reason: updated.reason,
          certificates: names.certificateSha256s,
          pgpKeys: names.pgpFingerprints,
        },
      });
      await openUpdate(tx, actor, updated, installation);
      return presentPackageResult(updated);
    },
    { timeout: 60_000 },
  );
}
