import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanId } from "../../domain/input-hygiene";
import { contentFileName } from "../../domain/package-file";

/**
 * U2: a VERIFIED package's signed content, byte for byte (openssl's -out), with
 * the name and SHA-256 to offer it under. A QUARANTINED package's content is
 * never offered: CONFLICT, and the message is the verdict's reason.
 */
export async function loadPackageContent({ actor, id }: { actor: TActor; id: string }) {
  authorize(actor, "package:read");
  const packageId = cleanId().parse(id);
  const p = await db.updatePackage.findUnique({
    where: { id: packageId },
    select: { state: true, reason: true, content: true, contentSha256: true, fileName: true },
  });
  if (!p) throw new AppError("NOT_FOUND", `No package ${packageId}.`);
  if (p.state !== "VERIFIED")
    throw new AppError("CONFLICT", p.reason ?? "The package is quarantined.", {
      state: p.state,
    });
  if (!p.content || !p.contentSha256)
    throw new AppError("CONFLICT", "The package has no content to offer.", { state: p.state });
  return {
    bytes: new Uint8Array(p.content),
    contentSha256: p.contentSha256,
    fileName: contentFileName(p.fileName),
  };
}

/** The content's bytes alone. */
export async function packageContent(args: { actor: TActor; id: string }): Promise<Uint8Array> {
  return (await loadPackageContent(args)).bytes;
}
