import * as openpgp from "openpgp";
import type { TPersonActor } from "../lib/auth/actor";
import type { TRole } from "../lib/domain/roles";
import { issueStatement } from "../lib/server/statements/issue-statement";
import { recordSignoff } from "../lib/server/patches/record-signoff";
import { makePerson } from "./factories";
import { makeKey, uniqueEmail } from "./pgp-fixtures";

export type TSigner = TPersonActor & { privateKey: string; fingerprint: string };

/** A person with roles and a registered key, carrying their address, whose private half the test holds. */
export async function makeSigner(roles: TRole[]): Promise<TSigner> {
  const email = uniqueEmail((roles[0] ?? "person").toLowerCase());
  const key = await makeKey({ email });
  const actor = await makePerson(roles, { pgpKey: key.publicKey, email });
  return { ...actor, privateKey: key.privateKey, fingerprint: key.fingerprint };
}

/** A detached, armored signature over the exact statement bytes, as a browser or gpg makes it. */
export async function detachSign(privateKeyArmored: string, statement: string): Promise<string> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKeyArmored });
  const message = await openpgp.createMessage({ text: statement });
  return (await openpgp.sign({
    message,
    signingKeys,
    detached: true,
    format: "armored",
  })) as string;
}

type Kind = "submit" | "review" | "test" | "request";

/** Fetches the statement, signs it, records it: one sign-off from start to end. */
export async function signoff(
  signer: TSigner,
  patchId: string,
  kind: Kind,
  verdict?: string,
  comment = "",
) {
  const { statement } = await issueStatement({ actor: signer, patchId, kind, verdict, comment });
  return recordSignoff({
    actor: signer,
    statement,
    signature: await detachSign(signer.privateKey, statement),
  });
}
