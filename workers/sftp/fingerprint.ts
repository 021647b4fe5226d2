import { timingSafeEqual } from "node:crypto";
import { sha256Base64 } from "../../lib/crypto/hash";

/** OpenSSH's SHA256 fingerprint of a host key blob: "SHA256:" + unpadded base64. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${sha256Base64(keyBlob).replace(/=+$/, "")}`;
}

export function sameFingerprint(a: string, b: string): boolean {
  const x = Buffer.from(a.trim().replace(/=+$/, ""));
  const y = Buffer.from(b.trim().replace(/=+$/, ""));
  return x.length === y.length && timingSafeEqual(x, y);
}
