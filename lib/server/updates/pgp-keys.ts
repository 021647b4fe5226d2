import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { readVendorPgpKey } from "../../update/vendor-pgp-key";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";
import {
  lockInstallation,
  presentPgpKey,
  ZInstallationSlug,
  type TPgpKeyEntry,
} from "./installations";

/** A public key file is small; anything larger is not one vendor key. */
export const MAX_PGP_KEY_BYTES = 1024 * 1024;

const ZFingerprint = z
  .string()
  .trim()
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^[0-9A-F]{40}$/, "Fingerprint: 40 hex digits"));

/**
 * U1: the installation trusts this vendor OpenPGP public key (armored or
 * binary) for OpenPGP-signed packages. `created` is false when it was trusted
 * already: the same entry, no second row.
 */
export async function trustPgpKeyWithOutcome({
  actor,
  slug,
  file,
}: {
  actor: TActor;
  slug: string;
  file: Uint8Array;
}): Promise<{ pgpKey: TPgpKeyEntry; created: boolean }> {
  authorize(actor, "package:manage");
  const installationSlug = ZInstallationSlug.parse(slug);
  if (file.length > MAX_PGP_KEY_BYTES)
    throw new AppError("PAYLOAD_TOO_LARGE", `A key file is at most ${MAX_PGP_KEY_BYTES} bytes.`);
  const key = await readVendorPgpKey(file);
  const attempt = () =>
    db.$transaction(async (tx) => {
      const installation = await lockInstallation(tx, installationSlug);
      const existing = await tx.vendorPgpKey.findFirst({
        where: { installationId: installation.id, fingerprint: key.fingerprint, removedAt: null },
      });
      if (existing) return { pgpKey: presentPgpKey(existing), created: false };
      const row = await tx.vendorPgpKey.create({
        data: {
          installationId: installation.id,
          fingerprint: key.fingerprint,
          userIds: key.userIds,
          armored: key.armored,
          expiresAt: key.expiresAt,
          addedById: actor.id,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "pgp-key.trusted",
        subjectType: "installation",
        subjectId: installation.id,
        payload: { installation: installation.slug, fingerprint: key.fingerprint },
      });
      return { pgpKey: presentPgpKey(row), created: true };
    });
  try {
    return await attempt();
  } catch (e) {
    if (isUniqueViolation(e)) return attempt();
    throw e;
  }
}

export async function trustPgpKey(args: {
  actor: TActor;
  slug: string;
  file: Uint8Array;
}): Promise<TPgpKeyEntry> {
  return (await trustPgpKeyWithOutcome(args)).pgpKey;
}

/** The installation no longer trusts the key; the row stays (removedAt) for earlier verdicts. */
export async function removePgpKey({
  actor,
  slug,
  fingerprint,
}: {
  actor: TActor;
  slug: string;
  fingerprint: string;
}) {
  authorize(actor, "package:manage");
  const installationSlug = ZInstallationSlug.parse(slug);
  const fpr = ZFingerprint.parse(fingerprint);
  await db.$transaction(async (tx) => {
    const installation = await lockInstallation(tx, installationSlug);
    const { count } = await tx.vendorPgpKey.updateMany({
      where: { installationId: installation.id, fingerprint: fpr, removedAt: null },
      data: { removedAt: new Date(), removedById: actor.id },
    });
    if (count === 0)
      throw new AppError("NOT_FOUND", `${installation.name} trusts no vendor key ${fpr}.`);
    await appendAuditEvent(tx, {
      actor,
      action: "pgp-key.removed",
      subjectType: "installation",
      subjectId: installation.id,
      payload: { installation: installation.slug, fingerprint: fpr },
    });
  });
}
