import * as openpgp from "openpgp";
import { gpgHome } from "../../peers/gpg";

// Signatures no honest client makes: built packet by packet, so the server's
// checks, not the signing library's, are what refuses them.

type TSigningPacket = openpgp.SecretKeyPacket | openpgp.SecretSubkeyPacket;

/**
 * A detached signature over `data` by exactly this key packet, dated `date`,
 * with no check of the key's flags, creation time or expiry.
 */
export async function rawDetachSign(
  keyPacket: TSigningPacket,
  data: string | Uint8Array,
  opts: { date?: Date; type?: "binary" | "text" | "standalone" } = {},
): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const sig = new openpgp.SignaturePacket();
  sig.signatureType = openpgp.enums.signature[opts.type ?? "binary"];
  sig.publicKeyAlgorithm = keyPacket.algorithm;
  sig.hashAlgorithm = openpgp.enums.hash.sha256;
  const [literal] = (await openpgp.createMessage({ binary: bytes })).packets;
  // The typings omit the config argument that the runtime needs.
  const sign = sig.sign as unknown as (
    key: TSigningPacket,
    data: unknown,
    date: Date,
    detached: boolean,
    config: typeof openpgp.config,
  ) => Promise<void>;
  await sign.call(sig, keyPacket, literal, opts.date ?? new Date(), true, openpgp.config);
  const list = new openpgp.PacketList<openpgp.AnyPacket>();
  list.push(sig);
  return openpgp.armor(openpgp.enums.armor.signature, list.write());
}

/** The primary key packet of an armored, unprotected private key. */
export async function primaryPacket(privateKeyArmored: string): Promise<TSigningPacket> {
  const key = await openpgp.readPrivateKey({ armoredKey: privateKeyArmored });
  return key.keyPacket as TSigningPacket;
}

/**
 * A key whose primary signs and which carries an Ed25519 subkey flagged for
 * authentication only: the subkey can compute a signature but may not make one.
 * Made with stock GnuPG, as a user would.
 */
export async function keyWithAuthSubkey(email = "auth-subkey@example.org") {
  const { gpg, cleanup } = gpgHome();
  try {
    gpg(["--quick-gen-key", `Auth Subkey <${email}>`, "ed25519", "sign", "never"]);
    const fpr = gpg(["--list-keys", "--with-colons", email])
      .split("\n")
      .find((l) => l.startsWith("fpr:"))!
      .split(":")[9];
    gpg(["--quick-add-key", fpr, "ed25519", "auth", "never"]);
    const publicKey = gpg(["--armor", "--export", email]);
    const privateKey = gpg(["--armor", "--export-secret-keys", email]);
    const key = await openpgp.readPrivateKey({ armoredKey: privateKey });
    const [sub] = key.subkeys;
    return {
      publicKey,
      privateKey,
      fingerprint: fpr.toUpperCase(),
      authSubkey: sub.keyPacket as TSigningPacket,
    };
  } finally {
    cleanup();
  }
}

/** Two detached signatures in one armor block, as `gpg --detach-sign -u A -u B` writes them. */
export async function twoSignaturesInOneArmor(a: string, b: string): Promise<string> {
  const first = await openpgp.readSignature({ armoredSignature: a });
  const second = await openpgp.readSignature({ armoredSignature: b });
  const list = new openpgp.PacketList<openpgp.AnyPacket>();
  list.push(...first.packets, ...second.packets);
  return openpgp.armor(openpgp.enums.armor.signature, list.write());
}

/** A revoked copy of a public key, with a chosen reason (a soft one does not reach back in time). */
export async function revoke(
  privateKeyArmored: string,
  opts: { reason?: "noReason" | "keyRetired" | "keySuperseded"; date?: Date } = {},
) {
  const key = await openpgp.readPrivateKey({ armoredKey: privateKeyArmored });
  const { publicKey } = await openpgp.revokeKey({
    key,
    reasonForRevocation: {
      flag: openpgp.enums.reasonForRevocation[opts.reason ?? "noReason"],
      string: "test",
    },
    date: opts.date,
    format: "armored",
  });
  return publicKey;
}
