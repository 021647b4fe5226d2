import { createHash, timingSafeEqual } from "node:crypto";

/** OpenSSH's SHA256 fingerprint of a host key blob: "SHA256:" + unpadded base64. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

export function sameFingerprint(a: string, b: string): boolean {
  const x = Buffer.from(a.trim().replace(/=+$/, ""));
  const y = Buffer.from(b.trim().replace(/=+$/, ""));
  return x.length === y.length && timingSafeEqual(x, y);
}
