import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { env } from "../../env";
import { assertMayTick } from "../../domain/procedures";
import { assertPresentAdmin } from "../../domain/present-admin";
import { ZTarballName } from "../../domain/tarball";
import { appendAuditEvent } from "../audit/append-event";
import { loadOpenDeployment } from "./deployment-facts";
import { storeTarball } from "./tarball-store";

export const ZUploadTarball = z.object({ patchId: cleanId(), name: ZTarballName });

/**
 * P9: the critical admin at step 7 uploads the new tarball. The portal stores
 * its bytes by their SHA-256 where the worker finds them and hands back the
 * hash; ticking step 7 records it, and step 13 mirrors only bytes with that
 * hash. Checked before a byte is read: the admin could tick step 7 now.
 */
export async function uploadTarball({
  actor,
  body,
  declaredBytes,
  ...input
}: { actor: TActor; body: ReadableStream<Uint8Array> | null; declaredBytes?: number } & z.input<
  typeof ZUploadTarball
>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const { patchId, name } = ZUploadTarball.parse(input);
  const dir = env().TARBALL_DIR;
  if (!dir)
    throw new AppError(
      "UNAVAILABLE",
      "The portal has no TARBALL_DIR to keep uploads in: paste the sha256sum line from the server instead.",
    );
  const limit = env().MAX_TARBALL_BYTES;
  if (declaredBytes !== undefined && declaredBytes > limit)
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `The tarball is larger than the limit of ${limit} bytes (MAX_TARBALL_BYTES).`,
    );
  await db.$transaction(async (tx: Tx) => {
    const { record, steps, visit } = await loadOpenDeployment(tx, patchId);
    assertMayTick(record.procedure, record.state, steps, 7, visit.met);
    assertPresentAdmin(record, person.id);
  });
  if (!body) throw new AppError("VALIDATION", "The upload is empty.");

  const stored = await storeTarball(dir, body, limit);
  await db.$transaction(async (tx: Tx) => {
    const { record } = await loadOpenDeployment(tx, patchId);
    await appendAuditEvent(tx, {
      actor: person,
      action: "deployment.tarball-uploaded",
      subjectType: "deployment",
      subjectId: record.id,
      payload: { patchId, name, sha256: stored.sha256, bytes: stored.bytes },
    });
  });
  return { name, ...stored };
}
