import path from "node:path";
import { stat } from "node:fs/promises";
import { onceAfter } from "../effects";
import { completeOutbox } from "../complete-outbox";
import { mirrorFile } from "../sftp/mirror-file";
import { PermanentError, type THandler } from "./context";
import { loadDeployment } from "./load-deployment";

/**
 * Step 13 (P9): the tarball named at step 7 is copied to every test server of
 * the system and its SHA-256 checked there. The portal does not build tarballs:
 * the file must be present in TARBALL_DIR (docs/workers.md). Each server is its
 * own effect, so a retry after one server failed does not upload to the others again.
 */
export const mirrorTarball: THandler<"deployment.mirror"> = async (
  ctx,
  outboxId,
  { deploymentId },
) => {
  const d = await loadDeployment(deploymentId);
  const name = String(d.evidence(7).tarball ?? "");
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,250}$/.test(name))
    throw new PermanentError(`step 7 names no usable tarball file ("${name}")`);
  if (!ctx.tarballDir)
    throw new PermanentError("TARBALL_DIR is not set: the worker has no tarballs to mirror");
  if (d.system.mirrors.length === 0)
    throw new PermanentError(
      `system ${d.system.slug} has no test servers to mirror to (patchgate system set ${d.system.slug} --mirror ...)`,
    );
  const file = path.join(ctx.tarballDir, name);
  // Not there yet is worth retrying: the tarball may still be on its way from the production server.
  await stat(file).catch(() => {
    throw new Error(`tarball ${name} is not in TARBALL_DIR yet`);
  });

  const servers = [];
  for (const target of d.system.mirrors) {
    servers.push(
      await onceAfter(`mirror:${deploymentId}:${target.id}`, outboxId, () =>
        mirrorFile(target, file, ctx.timeoutMs),
      ),
    );
  }
  await completeOutbox(outboxId, {
    deploymentId,
    number: 13,
    evidence: { tarball: name, servers },
  });
};
