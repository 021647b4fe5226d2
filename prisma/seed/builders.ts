// Reusable builders for the demo seed and the tests: idempotent, and they go
// through the same use-cases as the portal (so the audit log is complete).
import * as openpgp from "openpgp";
import { db } from "../../lib/db";
import { CLI_BOOTSTRAP } from "../../lib/auth/actor";
import { createUser } from "../../lib/server/users/create-user";
import { addSystem, type ZAddSystem } from "../../lib/server/systems/add-system";
import type { TRole } from "../../lib/domain/roles";
import type { z } from "zod";

export async function ensureSystem(input: z.input<typeof ZAddSystem>) {
  return (
    (await db.targetSystem.findUnique({ where: { slug: input.slug } })) ??
    addSystem({ actor: CLI_BOOTSTRAP, ...input })
  );
}

/** An ECC key GnuPG 2.2 can verify, its private half encrypted with the passphrase. */
export async function generateSigningKey(name: string, email: string, passphrase: string) {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name, email }],
    passphrase,
    format: "armored",
  });
  const fingerprint = (await openpgp.readKey({ armoredKey: publicKey }))
    .getFingerprint()
    .toUpperCase();
  return { privateKey, publicKey, fingerprint };
}

export type TSeedPerson = {
  email: string;
  name: string;
  roles: TRole[];
  password: string;
  publicKey?: string;
};

/** Creates the person unless an account with that email exists; returns whether it was created. */
export async function ensurePerson(p: TSeedPerson): Promise<{ id: string; created: boolean }> {
  const existing = await db.user.findUnique({ where: { email: p.email }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const { user } = await createUser({ actor: CLI_BOOTSTRAP, ...p, pgpKey: p.publicKey });
  return { id: user.id, created: true };
}
