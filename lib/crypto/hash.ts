import { createHash } from "node:crypto";

// SHA-256, the one hash Patchgate computes: uploaded diffs, dossier files and
// SHA256SUMS, the audit chain, API tokens, mirrored files, SSH host keys. Only
// node:crypto, so the offline verifier (lib/dossier, `patchgate verify`) uses
// it as the server does. Strings are hashed as their UTF-8 bytes.

/** Lower-case hex, as `sha256sum` prints it. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Standard (padded) base64 of the digest; OpenSSH fingerprints drop the padding. */
export function sha256Base64(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("base64");
}
