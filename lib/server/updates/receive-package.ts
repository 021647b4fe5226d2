import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { env } from "../../env";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { cleanLine } from "../../domain/input-hygiene";
import { cleanPackageFileName } from "../../domain/package-file";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";
import { findInstallation, ZInstallationSlug } from "./installations";
import { recordVerdict } from "./record-verdict";
import {
  activeTrust,
  asBuffer,
  judgePackage,
  presentPackageResult,
  RESULT_SELECT,
  verdictFields,
  type TPackageResult,
} from "./package-facts";

/** A detached signature is small; a larger "signature" is not one. */
export const MAX_SIGNATURE_BYTES = 1024 * 1024;

/** The largest package taken in over any channel (MAX_PACKAGE_BYTES, default 128 MiB). */
export function maxPackageBytes(): number {
  return env().MAX_PACKAGE_BYTES;
}

export const ZPackageChannel = z.enum(["BROWSER", "API", "INBOX"]);

export const ZReceivePackage = z.object({
  slug: ZInstallationSlug,
  channel: ZPackageChannel,
  // Never refused: every file is kept under a cleaned name (lib/domain/package-file.ts).
  fileName: z.string().nullish().transform(cleanPackageFileName),
  // Drop directory: "<slug>/<file name>/<sha256>", so a file is taken in once.
  inboxKey: cleanLine().min(1).max(1000).optional(),
});

export type TReceivePackage = z.input<typeof ZReceivePackage> & {
  data: Uint8Array;
  signature?: Uint8Array | null;
};

function tooLarge(what: string, limit: number) {
  return new AppError("PAYLOAD_TOO_LARGE", `${what} is larger than the limit of ${limit} bytes.`);
}

/**
 * U1, U2: keeps the file whatever it is, verifies it against the
 * installation's active trusted certificates and vendor keys at this moment,
 * and records the verdict. A VERIFIED package opens its update record in the
 * same transaction (openUpdate); a QUARANTINED one is kept and never offered.
 * A drop-directory file already taken in (same inboxKey) answers its package.
 */
export async function receivePackage({
  actor,
  data,
  signature,
  ...input
}: { actor: TActor } & TReceivePackage): Promise<TPackageResult> {
  authorize(actor, "package:manage");
  const { slug, channel, fileName, inboxKey } = ZReceivePackage.parse(input);
  const limit = maxPackageBytes();
  if (data.byteLength > limit) throw tooLarge("The package", limit);
  if (signature && signature.byteLength > MAX_SIGNATURE_BYTES)
    throw tooLarge("The signature", MAX_SIGNATURE_BYTES);
  const installation = await findInstallation(db, slug);

  if (inboxKey) {
    const taken = await db.updatePackage.findUnique({
      where: { inboxKey },
      select: RESULT_SELECT,
    });
    if (taken) return presentPackageResult(taken);
  }

  const trust = await activeTrust(db, installation.id);
  const at = new Date();
  const verdict = await judgePackage({
    data,
    signature: signature && signature.byteLength > 0 ? signature : null,
    trust,
    installationName: installation.name,
    at,
  });
  const sha256 = sha256Hex(data);

  try {
    return await db.$transaction(
      async (tx) => {
        const pkg = await tx.updatePackage.create({
          data: {
            installationId: installation.id,
            channel,
            fileName,
            data: asBuffer(data),
            signature: signature && signature.byteLength > 0 ? asBuffer(signature) : null,
            bytes: data.byteLength,
            sha256,
            uploadedById: actor.id,
            inboxKey: inboxKey ?? null,
            receivedAt: at,
            ...verdictFields(verdict, at),
          },
          select: RESULT_SELECT,
        });
        await appendAuditEvent(tx, {
          actor,
          action: "package.received",
          subjectType: "package",
          subjectId: pkg.id,
          payload: {
            installation: installation.slug,
            packageId: pkg.id,
            channel,
            fileName,
            sha256,
            bytes: data.byteLength,
          },
        });
        await recordVerdict(tx, actor, installation, pkg, trust, at);
        return presentPackageResult(pkg);
      },
      { timeout: 60_000 },
    );
  } catch (e) {
    // The worker took this drop-directory file in already (a restart after a crash).
    if (inboxKey && isUniqueViolation(e))
      return presentPackageResult(
        await db.updatePackage.findUniqueOrThrow({ where: { inboxKey }, select: RESULT_SELECT }),
      );
    throw e;
  }
}
