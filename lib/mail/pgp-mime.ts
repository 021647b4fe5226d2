import * as openpgp from "openpgp";
import { CRLF, multipart, toCrlf } from "./mime";

// RFC 3156 / RFC 4880 §9.4 names of the hashes a current key signs with.
const MICALG: Record<number, string> = {
  [openpgp.enums.hash.sha256]: "sha256",
  [openpgp.enums.hash.sha384]: "sha384",
  [openpgp.enums.hash.sha512]: "sha512",
  [openpgp.enums.hash.sha224]: "sha224",
};

/**
 * RFC 3156 multipart/signed: a detached signature over the first body part's
 * exact bytes (already canonical: CRLF, 7-bit). micalg names the hash the
 * signature really used, read back from the signature packet.
 */
export async function signPart(
  part: string,
  key: openpgp.PrivateKey,
): Promise<{ contentType: string; body: string; micalg: string }> {
  if (/[^\x00-\x7f]/.test(part)) throw new Error("a signed part must be 7-bit");
  if (/(^|[^\r])\n/.test(part)) throw new Error("a signed part must use CRLF line ends");
  const message = await openpgp.createMessage({ binary: Buffer.from(part, "ascii") });
  const armored = await openpgp.sign({
    message,
    signingKeys: key,
    detached: true,
    format: "armored",
  });
  const signature = await openpgp.readSignature({ armoredSignature: armored });
  const hash = MICALG[signature.packets[0].hashAlgorithm ?? -1];
  if (!hash)
    throw new Error(`unexpected signature hash algorithm ${signature.packets[0].hashAlgorithm}`);
  const micalg = `pgp-${hash}`;
  const sigPart = [
    'Content-Type: application/pgp-signature; name="signature.asc"',
    "Content-Description: OpenPGP digital signature",
    'Content-Disposition: attachment; filename="signature.asc"',
    "",
    toCrlf(armored).replace(/(\r\n)+$/, ""),
  ].join(CRLF);
  const m = multipart(
    "signed",
    [part, sigPart],
    `; micalg=${micalg}; protocol="application/pgp-signature"`,
  );
  return { ...m, micalg };
}
