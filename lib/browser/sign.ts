// Signing in the browser. openpgp.js is large, so it is loaded only when a
// person actually signs. The private key and its passphrase stay in this
// browser: only the detached signature leaves it.

export type TLocalKey = { fingerprint: string; userIds: string[]; encrypted: boolean };

async function pgp() {
  return import("openpgp");
}

/** Reads an armored private key (from IndexedDB or a file) without decrypting it. */
export async function describePrivateKey(armoredPrivateKey: string): Promise<TLocalKey> {
  const openpgp = await pgp();
  let key;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  } catch {
    throw new Error(
      "This file holds no OpenPGP private key (expected -----BEGIN PGP PRIVATE KEY BLOCK-----).",
    );
  }
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    encrypted: !key.isDecrypted(),
  };
}

/**
 * A detached, armored signature over exactly `statement`, made with the given
 * private key (decrypted here with the passphrase when it is protected).
 */
export async function signStatement({
  armoredPrivateKey,
  passphrase,
  statement,
}: {
  armoredPrivateKey: string;
  passphrase: string;
  statement: string;
}): Promise<string> {
  const openpgp = await pgp();
  let signingKeys = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  if (!signingKeys.isDecrypted()) {
    if (!passphrase) throw new Error("This key is protected: enter its passphrase.");
    try {
      signingKeys = await openpgp.decryptKey({ privateKey: signingKeys, passphrase });
    } catch {
      throw new Error("Wrong passphrase for this key.");
    }
  }
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ text: statement }),
    signingKeys,
    detached: true,
  });
  return String(signature);
}
