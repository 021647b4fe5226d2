// A demo person who can sign: their fresh actor and a signer over their demo
// key (decrypted once with the passphrase written next to it).
import * as openpgp from "openpgp";
import { db } from "../../lib/db";
import { loadActor } from "../../lib/auth/load-actor";
import type { TPersonActor } from "../../lib/auth/actor";

export type TDemoKeys = Map<string, { privateKey: string; passphrase: string }>;

export type TDemoSigner = { actor: TPersonActor; sign: (statement: string) => Promise<string> };

export async function demoSigner(email: string, keys: TDemoKeys): Promise<TDemoSigner> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const actor = (await loadActor(user.id))!;
  const k = keys.get(email)!;
  const signingKeys = await openpgp.decryptKey({
    privateKey: await openpgp.readPrivateKey({ armoredKey: k.privateKey }),
    passphrase: k.passphrase,
  });
  return {
    actor,
    sign: async (statement) =>
      (await openpgp.sign({
        message: await openpgp.createMessage({ text: statement }),
        signingKeys,
        detached: true,
        format: "armored",
      })) as string,
  };
}
