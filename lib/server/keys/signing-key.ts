import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";

/** A v4 (40 hex) or v6 (64 hex) fingerprint, as a person types it: spaces and case forgiven. */
export const ZKeyFingerprint = z
  .string()
  .trim()
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^[0-9A-F]{40}([0-9A-F]{24})?$/, "an OpenPGP fingerprint (40 or 64 hex)"));

/** A person's live keys, newest first: the order in which a statement picks one. */
export function liveKeys(userId: string) {
  return db.pgpKey.findMany({ where: { userId, removedAt: null }, orderBy: { addedAt: "desc" } });
}

/** The key a person signs with: the one they name, or their newest live key. */
export async function signingKey(userId: string, fingerprint?: string) {
  const keys = await liveKeys(userId);
  const key = fingerprint ? keys.find((k) => k.fingerprint === fingerprint) : keys[0];
  if (!key) {
    throw new AppError(
      "FORBIDDEN",
      fingerprint
        ? `The key ${fingerprint} is not one of your registered keys.`
        : "Register an OpenPGP key in your profile first.",
    );
  }
  return key;
}
