import { db } from "../lib/db";
import { newApiToken } from "../lib/crypto/tokens";
import * as openpgp from "openpgp";
import { createUser } from "../lib/server/users/create-user";
import { userIdAddress } from "../lib/domain/key-user-ids";
import { CLI_BOOTSTRAP, type TPersonActor } from "../lib/auth/actor";
import { loadActor } from "../lib/auth/load-actor";
import type { TRole } from "../lib/domain/roles";

let counter = 0;

/** The address a fixture key's first user ID carries: the account it is registered to. */
async function keyAddress(armoredKey: string): Promise<string | null> {
  try {
    const key = await openpgp.readKey({ armoredKey });
    return userIdAddress(key.getUserIDs()[0] ?? "");
  } catch {
    return null; // not a readable public key: registration will say why
  }
}

/**
 * A person with approved roles, as the CLI bootstrap would create them. With a
 * key and no `email`, the account gets the address of the key's user ID, as a
 * real person's would.
 */
export async function makePerson(
  roles: TRole[],
  extra: { pgpKey?: string; password?: string; email?: string } = {},
): Promise<TPersonActor> {
  counter += 1;
  const { user } = await createUser({
    actor: CLI_BOOTSTRAP,
    email:
      extra.email ??
      (extra.pgpKey && (await keyAddress(extra.pgpKey))) ??
      `person${counter}.${Date.now()}@example.org`,
    name: `Person ${counter}`,
    roles,
    password: extra.password,
    pgpKey: extra.pgpKey,
  });
  const actor = await loadActor(user.id);
  if (!actor) throw new Error("fresh user did not load");
  return actor;
}

/**
 * An API token for tests of other things, inserted as the CLI's `--token` does
 * (no password asked). Tests of token creation itself use createToken.
 */
export async function makeToken(
  person: { id: string },
  opts: { scope?: "READ" | "SIGN"; expiresAt?: Date | null } = {},
): Promise<string> {
  const t = newApiToken();
  await db.apiToken.create({
    data: {
      userId: person.id,
      name: "test",
      tokenHash: t.hash,
      prefix: t.prefix,
      scope: opts.scope ?? "SIGN",
      expiresAt: opts.expiresAt ?? null,
    },
  });
  return t.token;
}
