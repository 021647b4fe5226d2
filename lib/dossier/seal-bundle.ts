import type { z } from "zod";
import { sha256Hex } from "../crypto/hash";
import {
  CHECKSUMS,
  checksumsText,
  EVENTS,
  keyFile,
  LINKS,
  MANIFEST,
  PORTAL_KEY,
  VERIFY_MD,
} from "./layout";
import type { ZAccount } from "./bundle-manifest";
import type { TEventLine, THead } from "./manifest";

export const text = (s: string) => new TextEncoder().encode(s);

/** What every sealed bundle carries besides its own record. */
export type TBundleCommon = {
  exportedAt: Date;
  portal: { fingerprint: string; armored: string };
  keys: { fingerprint: string; armored: string; account: z.infer<typeof ZAccount> }[];
  events: TEventLine[];
  links: { seq: string; hash: string }[];
  head: THead;
};

/**
 * Writes the files every sealed bundle ends with (the signers' keys, the
 * portal key, the audit events and links, VERIFY.md, SHA256SUMS) after the
 * bundle's own files, and returns the manifest's common parts, the files'
 * hashes included. Then `writeManifest` adds manifest.json, which the portal
 * signs.
 */
export function writeCommonParts(
  files: Map<string, Uint8Array>,
  input: TBundleCommon,
  verifyText: string,
) {
  for (const k of input.keys) files.set(keyFile(k.fingerprint), text(k.armored.trim() + "\n"));
  files.set(PORTAL_KEY, text(input.portal.armored.trim() + "\n"));
  files.set(EVENTS, text(input.events.map((e) => JSON.stringify(e) + "\n").join("")));
  files.set(LINKS, text(input.links.map((l) => `${l.seq} ${l.hash}\n`).join("")));
  files.set(VERIFY_MD, text(verifyText));
  files.set(CHECKSUMS, text(checksumsText(files)));
  return {
    exportedAt: input.exportedAt.toISOString(),
    portal: { fingerprint: input.portal.fingerprint, key: PORTAL_KEY },
    keys: input.keys.map((k) => ({
      fingerprint: k.fingerprint,
      file: keyFile(k.fingerprint),
      account: k.account,
    })),
    audit: { events: EVENTS, count: input.events.length, head: input.head, links: LINKS },
    files: Object.fromEntries([...files].map(([name, bytes]) => [name, sha256Hex(bytes)])),
  };
}

export function writeManifest(files: Map<string, Uint8Array>, manifest: object) {
  files.set(MANIFEST, text(JSON.stringify(manifest, null, 2) + "\n"));
  return files;
}
