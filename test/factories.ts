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
