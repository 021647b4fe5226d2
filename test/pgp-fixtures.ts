import * as openpgp from "openpgp";
import { gpgHome } from "../peers/gpg";

let made = 0;

/** An address no other fixture key carries: registration binds a key's user ID to one account. */
export function uniqueEmail(prefix = "person"): string {
  made += 1;
  return `${prefix}${made}.${process.pid}.${Date.now()}@example.org`;
}

// Keys as a user would bring them: ECC (curve25519Legacy) v4 keys GnuPG 2.2 can verify.
// Without an `email`, the user ID carries a fresh address: a person made with the key gets it.
export async function makeKey(
  opts: {
    name?: string;
    email?: string;
    keyExpirationTime?: number;
    date?: Date;
    signOnly?: boolean;
    /** Protects the private half, as a careful person keeps it. */
    passphrase?: string;
  } = {},
) {
  const { privateKey, publicKey, revocationCertificate } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: opts.name ?? "Test Person", email: opts.email ?? uniqueEmail() }],
    format: "armored",
    keyExpirationTime: opts.keyExpirationTime,
    date: opts.date,
    passphrase: opts.passphrase,
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return {
    privateKey,
    publicKey,
    revocationCertificate,
    fingerprint: key.getFingerprint().toUpperCase(),
  };
}

export async function revokedPublicKey(): Promise<string> {
  const { publicKey, revocationCertificate } = await makeKey();
  const { publicKey: revoked } = await openpgp.revokeKey({
    key: await openpgp.readKey({ armoredKey: publicKey }),
    revocationCertificate,
    format: "armored",
  });
  return revoked;
}

/** A key whose only capability is certification: it cannot sign anything. */
export function certifyOnlyPublicKey(): string {
  const { gpg, cleanup } = gpgHome();
  try {
    gpg(["--quick-gen-key", "Cert Only <cert-only@example.org>", "ed25519", "cert", "never"]);
    return gpg(["--armor", "--export", "cert-only@example.org"]);
  } finally {
    cleanup();
  }
}
