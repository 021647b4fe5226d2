import * as openpgp from "openpgp";
import { CRLF, multipart, toCrlf } from "./mime";

// RFC 3156 / RFC 4880 §9.4 names of the hashes a current key signs with.
const MICALG: Record<number, string> = {
  [openpgp.enums.hash.sha256]: "sha256",
  [openpgp.enums.hash.sha384]: "sha384",
  [openpgp.enums.hash.sha512]: "sha512",
  [openpgp.enums.hash.sha224]: "sha224",
};

/** RFC 3156 micalg ("pgp-sha256") of an armored detached signature; null for a hash it does not name. */
export async function micalgOf(armoredSignature: string): Promise<string | null> {
  const signature = await openpgp.readSignature({ armoredSignature });
  const hash = MICALG[signature.packets[0]?.hashAlgorithm ?? -1];
  return hash ? `pgp-${hash}` : null;
}

function assertCanonical(part: string): void {
  if (/[^\x00-\x7f]/.test(part)) throw new Error("a signed part must be 7-bit");
  if (/(^|[^\r])\n/.test(part)) throw new Error("a signed part must use CRLF line ends");
}

/**
 * RFC 3156 multipart/signed from a part and a detached signature made over its
 * exact bytes elsewhere (the critical admin's own, P7). micalg names the hash
 * the signature really used, read back from the signature packet.
 */
export async function signedEntity(
  part: string,
  armoredSignature: string,
): Promise<{ contentType: string; body: string; micalg: string }> {
  assertCanonical(part);
  const micalg = await micalgOf(armoredSignature);
  if (!micalg) throw new Error("unexpected signature hash algorithm");
  const sigPart = [
    'Content-Type: application/pgp-signature; name="signature.asc"',
    "Content-Description: OpenPGP digital signature",
    'Content-Disposition: attachment; filename="signature.asc"',
    "",
    toCrlf(armoredSignature.trim()),
  ].join(CRLF);
  const m = multipart(
    "signed",
    [part, sigPart],
    `; micalg=${micalg}; protocol="application/pgp-signature"`,
  );
  return { ...m, micalg };
}

/** The same, signed here with a key the server holds (the portal's own notices). */
export async function signPart(
  part: string,
  key: openpgp.PrivateKey,
): Promise<{ contentType: string; body: string; micalg: string }> {
  assertCanonical(part);
  const message = await openpgp.createMessage({ binary: Buffer.from(part, "ascii") });
  const armored = await openpgp.sign({
    message,
    signingKeys: key,
    detached: true,
    format: "armored",
  });
  return signedEntity(part, armored);
}
