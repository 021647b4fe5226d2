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

/** An installation (U4), inserted directly: the mode as the schema spells it. */
export async function makeInstallation(
  extra: {
    slug?: string;
    mode?: "AUTOMATIC" | "SEMI_AUTOMATIC" | "MANUAL";
    enterprise?: boolean;
    postUpdateUrl?: string | null;
    postUpdateSecretEnv?: string | null;
  } = {},
) {
  counter += 1;
  const slug = extra.slug ?? `os4x-${counter}`;
  return db.installation.create({
    data: {
      slug,
      name: `OS4X ${slug}`,
      product: "os4x",
      mode: extra.mode ?? "MANUAL",
      enterprise: extra.enterprise ?? false,
      postUpdateUrl: extra.postUpdateUrl ?? null,
      postUpdateSecretEnv: extra.postUpdateSecretEnv ?? null,
    },
  });
}

/**
 * An update package as intake would have stored it (VERIFIED by default, with
 * its content and hashes), inserted directly; no update record is opened.
 */
export async function makePackage(
  installation: { id: string },
  extra: { state?: "VERIFIED" | "QUARANTINED"; reason?: string; content?: string } = {},
) {
  counter += 1;
  const { createHash } = await import("node:crypto");
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  const content = Buffer.from(extra.content ?? `#!/bin/sh\necho update ${counter}\n`);
  const data = Buffer.concat([Buffer.from("signed:"), content]);
  const verified = (extra.state ?? "VERIFIED") === "VERIFIED";
  return db.updatePackage.create({
    data: {
      installationId: installation.id,
      channel: "API",
      fileName: `os4x_update_${counter}.sh.signed`,
      data,
      bytes: data.length,
      sha256: sha(data),
      format: "cms",
      state: verified ? "VERIFIED" : "QUARANTINED",
      reason: verified ? null : (extra.reason ?? "The content does not match its signature."),
      content: verified ? content : null,
      contentSha256: verified ? sha(content) : null,
      signerSubject: "CN=c-works software update,O=c-works GmbH",
      signerIssuer: "CN=c-works CA,O=c-works GmbH",
      signerNotAfter: new Date("2032-06-15T18:18:53Z"),
    },
  });
}
