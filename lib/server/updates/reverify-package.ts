import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanId } from "../../domain/input-hygiene";
import { recordVerdict } from "./record-verdict";
import {
  activeTrust,
  judgePackage,
  presentPackageResult,
  RESULT_SELECT,
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
      await recordVerdict(tx, actor, installation, updated, trust, at);
      return presentPackageResult(updated);
    },
    { timeout: 60_000 },
  );
}
