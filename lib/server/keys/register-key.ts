import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";
import { parseRegistrableKey } from "../../crypto/pgp-keys";
import { isUniqueViolation } from "../prisma-errors";
import { AppError } from "../../errors";
import { insertKey } from "./insert-key";

export const ZRegisterKey = z.object({
  armored: z
    .string()
    .min(1, "Paste a public key")
    .max(64 * 1024),
});

/** A signed-in person registers one of their own OpenPGP public keys. */
export async function registerKey({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRegisterKey>) {
  const person = requirePerson(actor);
  const { armored } = ZRegisterKey.parse(input);
  const key = await parseRegistrableKey(armored, { accountEmail: person.email });
  try {
    return await db.$transaction((tx: Tx) => insertKey(tx, person, person.id, key));
  } catch (e) {
    // Two registrations racing past the check: the unique index decides.
    if (isUniqueViolation(e)) {
      throw new AppError("KEY_REFUSED", `The key ${key.fingerprint} is already registered.`, {
        reason: "duplicate",
      });
    }
    throw e;
  }
}
