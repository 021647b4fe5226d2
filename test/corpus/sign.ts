import * as openpgp from "openpgp";
import { gpgHome } from "../../peers/gpg";

// The ways a person can turn a statement into something signed: openpgp.js in
// text or binary mode, and stock GnuPG with its detached, clear and inline forms.

export async function binarySign(privateKey: string, text: string, date?: Date): Promise<string> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
  return (await openpgp.sign({
    message,
    signingKeys,
    detached: true,
    format: "armored",
    date,
  })) as string;
}

export async function binarySignUnarmored(privateKey: string, text: string): Promise<Uint8Array> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
  return (await openpgp.sign({
    message,
    signingKeys,
    detached: true,
    format: "binary",
  })) as Uint8Array;
}

export async function cleartextSign(privateKey: string, text: string): Promise<string> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });
  return (await openpgp.sign({
    message: await openpgp.createCleartextMessage({ text }),
    signingKeys,
    format: "armored",
  })) as string;
}

/** Runs stock gpg with this private key imported; `mode` is the gpg command. */
export function gpgSign(
  privateKey: string,
  text: string,
  mode: "--detach-sign" | "--clearsign" | "--sign",
): string {
  const { gpg, cleanup } = gpgHome();
  try {
    gpg(["--import"], privateKey);
    return gpg(["--armor", mode], text);
  } finally {
    cleanup();
  }
}
