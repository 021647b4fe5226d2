import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { env } from "../../env";
import { recordedTarball } from "../../domain/tarball";
import { findTarball, namedTarballPath, uploadedTarballPath } from "../deployments/tarball-store";

/**
 * P9: the tarballs step 13 still waits for: mirror rows not done whose file is
 * not where the worker looks. Says which file (name and SHA-256) and where
 * (TARBALL_DIR/<name>, or the upload TARBALL_DIR/uploaded/<sha256>), so an
 * admin knows what to copy. The portal and the worker share TARBALL_DIR.
 */
export async function waitingTarballs({ actor }: { actor: TActor }) {
  authorize(actor, "outbox:manage");
  const rows = await db.outbox.findMany({
    where: { kind: "deployment.mirror", state: { not: "DONE" } },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  const dir = env().TARBALL_DIR ?? null;
  const waiting = [];
  for (const row of rows) {
    const deploymentId = String((row.payload as { deploymentId?: unknown }).deploymentId ?? "");
    const record = await db.deploymentRecord.findUnique({
      where: { id: deploymentId },
      include: {
        patch: { select: { id: true, number: true, title: true } },
        steps: { where: { number: 7 } },
      },
    });
    const tarball = recordedTarball(record?.steps[0]?.evidence);
    if (!record || !tarball) continue;
    const found = dir ? await findTarball(dir, tarball.name, tarball.sha256) : null;
    if (found) continue;
    waiting.push({
      outboxId: row.id,
      state: row.state,
      patch: record.patch,
      name: tarball.name,
      sha256: tarball.sha256,
      dir,
      copyTo: dir ? namedTarballPath(dir, tarball.name) : null,
      uploadPath: dir && tarball.sha256 ? uploadedTarballPath(dir, tarball.sha256) : null,
    });
  }
  return waiting;
}
