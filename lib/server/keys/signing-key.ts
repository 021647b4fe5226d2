import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";
import { formatDateTime } from "../../format";
import { V6_KEY_MESSAGE } from "../../crypto/pgp-keys";

/** A v4 (40 hex) or v6 (64 hex) fingerprint, as a person types it: spaces and case forgiven. */
export const ZKeyFingerprint = z
  .string()
  .trim()
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^[0-9A-F]{40}([0-9A-F]{24})?$/, "an OpenPGP fingerprint (40 or 64 hex)"))
  .meta({ description: "An OpenPGP fingerprint: 40 or 64 hex digits; spaces and case forgiven." });

type TKeyRow = { fingerprint: string; revokedAt: Date | null; revocationReason: string | null };

/**
 * Why a registered, not removed, key may not make a new signature, or null. A
 * revoked key signs nothing from its revocation on; a v6 key (registered before
 * they were refused) makes signatures GnuPG 2.2 cannot check.
 */
export function signingRefusal(key: TKeyRow): { message: string; reason: string } | null {
  if (key.revokedAt)
    return {
      message: `The key ${key.fingerprint} was revoked on ${formatDateTime(key.revokedAt)} (${
        key.revocationReason ?? "no reason given"
      }); it can no longer sign. Register a current key.`,
      reason: "revoked-key",
    };
  if (key.fingerprint.length !== 40) return { message: V6_KEY_MESSAGE, reason: "v6" };
  return null;
}

/** A person's keys that may sign now, newest first: the order in which a statement picks one. */
export async function liveKeys(userId: string) {
  const keys = await db.pgpKey.findMany({
    where: { userId, removedAt: null },
    orderBy: { addedAt: "desc" },
  });
  return keys.filter((k) => !signingRefusal(k));
}

/** The key a person signs with: the one they name, or their newest key that may sign. */
export async function signingKey(userId: string, fingerprint?: string) {
  if (fingerprint) {
    const named = await db.pgpKey.findFirst({ where: { userId, fingerprint, removedAt: null } });
    if (!named)
      throw new AppError("FORBIDDEN", `The key ${fingerprint} is not one of your registered keys.`);
    const refusal = signingRefusal(named);
    if (refusal) throw new AppError("FORBIDDEN", refusal.message, { reason: refusal.reason });
    return named;
  }
  const [newest] = await liveKeys(userId);
  if (!newest)
    throw new AppError(
      "FORBIDDEN",
      "Register an OpenPGP key in your profile first (a revoked key can no longer sign).",
    );
  return newest;
}
