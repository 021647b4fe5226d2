import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { readCertificate } from "../../update/certificate";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";
import { queueExpiryWarnings } from "./certificate-expiry";
import {
  lockInstallation,
  presentCertificate,
  ZInstallationSlug,
  type TCertificateEntry,
} from "./installations";

/** A certificate file is small; anything larger is not one. */
export const MAX_CERTIFICATE_BYTES = 1024 * 1024;

const ZSha256 = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, "SHA-256: 64 hex digits");

/**
 * U1, U3: the installation trusts this X.509 certificate (PEM or DER), as
 * openssl's -CAfile would. `created` is false when it was trusted already:
 * the same entry, no second row. A certificate past its end is accepted (it
 * is what the installation has; its verdicts will say it expired).
 */
export async function trustCertificateWithOutcome({
  actor,
  slug,
  file,
}: {
  actor: TActor;
  slug: string;
  file: Uint8Array;
}): Promise<{ certificate: TCertificateEntry; created: boolean }> {
  authorize(actor, "package:manage");
  const installationSlug = ZInstallationSlug.parse(slug);
  if (file.length > MAX_CERTIFICATE_BYTES)
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `A certificate file is at most ${MAX_CERTIFICATE_BYTES} bytes.`,
    );
  const facts = readCertificate(file);
  const attempt = () =>
    db.$transaction(async (tx) => {
      const installation = await lockInstallation(tx, installationSlug);
      const existing = await tx.trustedCertificate.findFirst({
        where: { installationId: installation.id, sha256: facts.sha256, removedAt: null },
      });
      if (existing) return { certificate: presentCertificate(existing), created: false };
      const row = await tx.trustedCertificate.create({
        data: {
          installationId: installation.id,
          subject: facts.subject,
          issuer: facts.issuer,
          sha256: facts.sha256,
          notBefore: facts.notBefore,
          notAfter: facts.notAfter,
          selfSigned: facts.selfSigned,
          der: Buffer.from(facts.der),
          addedById: actor.id,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "certificate.trusted",
        subjectType: "installation",
        subjectId: installation.id,
        payload: {
          installation: installation.slug,
          sha256: facts.sha256,
          subject: facts.subject,
          notAfter: facts.notAfter.toISOString(),
        },
      });
      // U3: a certificate added after a mark has passed gets that mark's mail at once.
      await queueExpiryWarnings(tx, [row.id]);
      return { certificate: presentCertificate(row), created: true };
    });
  try {
    return await attempt();
  } catch (e) {
    // Another request trusted it between our look and our insert: answer its row.
    if (isUniqueViolation(e)) return attempt();
    throw e;
  }
}

/** trustCertificateWithOutcome's entry alone (201 or 200 is the route's business). */
export async function trustCertificate(args: {
  actor: TActor;
  slug: string;
  file: Uint8Array;
}): Promise<TCertificateEntry> {
  return (await trustCertificateWithOutcome(args)).certificate;
}

/** The installation no longer trusts it; the row stays (removedAt) for the verdicts that used it. */
export async function removeCertificate({
  actor,
  slug,
  sha256,
}: {
  actor: TActor;
  slug: string;
  sha256: string;
}) {
  authorize(actor, "package:manage");
  const installationSlug = ZInstallationSlug.parse(slug);
  const hash = ZSha256.parse(sha256);
  await db.$transaction(async (tx) => {
    const installation = await lockInstallation(tx, installationSlug);
    const { count } = await tx.trustedCertificate.updateMany({
      where: { installationId: installation.id, sha256: hash, removedAt: null },
      data: { removedAt: new Date(), removedById: actor.id },
    });
    if (count === 0)
      throw new AppError(
        "NOT_FOUND",
        `${installation.name} trusts no certificate with SHA-256 ${hash}.`,
      );
    await appendAuditEvent(tx, {
      actor,
      action: "certificate.removed",
      subjectType: "installation",
      subjectId: installation.id,
      payload: { installation: installation.slug, sha256: hash },
    });
  });
}
