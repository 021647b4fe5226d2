import { recordedTarball } from "../../lib/domain/tarball";
import { findTarball, namedTarballPath } from "../../lib/server/deployments/tarball-store";
import { onceAfter } from "../effects";
import { completeOutbox } from "../complete-outbox";
import { mirrorFile } from "../sftp/mirror-file";
import { PermanentError, type THandler } from "./context";
import { loadDeployment } from "./load-deployment";

/**
 * Step 13 (P9): the tarball step 7 bound by its SHA-256 is copied to every
 * test server of the system, and each copy is read back and checked against
 * that hash. The portal does not build tarballs: the bytes are the admin's
 * upload (TARBALL_DIR/uploaded/<sha256>) or the file the operator copied to
 * TARBALL_DIR/<name> (docs/workers.md). A file whose bytes have another hash
 * is refused before anything is uploaded. Each server is its own effect, so a
 * retry after one server failed does not upload to the others again.
 */
export const mirrorTarball: THandler<"deployment.mirror"> = async (
  ctx,
  outboxId,
  { deploymentId },
) => {
  const d = await loadDeployment(deploymentId);
  const tarball = recordedTarball(d.evidence(7));
  if (!tarball)
    throw new PermanentError(
      `step 7 names no usable tarball file ("${String(d.evidence(7).tarball ?? "")}")`,
    );
  if (!tarball.sha256)
    throw new PermanentError(
      `step 7 recorded no SHA-256 for ${tarball.name}: nothing to check a copy against`,
    );
  if (!ctx.tarballDir)
    throw new PermanentError("TARBALL_DIR is not set: the worker has no tarballs to mirror");
  if (d.system.mirrors.length === 0)
    throw new PermanentError(
      `system ${d.system.slug} has no test servers to mirror to (patchgate system set ${d.system.slug} --mirror ...)`,
    );
  // Not there yet is worth retrying: the tarball may still be on its way from the production server.
  const found = await findTarball(ctx.tarballDir, tarball.name, tarball.sha256);
  if (!found)
    throw new Error(
      `waiting for tarball ${tarball.name} (SHA-256 ${tarball.sha256}) in ${namedTarballPath(ctx.tarballDir, tarball.name)}`,
    );

  const servers = [];
  for (const target of d.system.mirrors) {
    servers.push(
      await onceAfter(`mirror:${deploymentId}:${target.id}`, outboxId, () =>
        mirrorFile(target, found.path, ctx.timeoutMs, tarball as { name: string; sha256: string }),
      ),
    );
  }
  await completeOutbox(outboxId, {
    deploymentId,
    number: 13,
    evidence: { tarball: tarball.name, sha256: tarball.sha256, servers },
  });
};
