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
import { LOG_FILES, type TBundleLog, type TLogConsistency, type TLogProofs } from "./log-manifest";
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
  /** Issue #16: the checkpoint covering the events and their inclusion proofs. */
  log?: TBundleLogFiles;
};

/** The log files' contents (docs/transparency-log.md "Checkpoints"). */
export type TBundleLogFiles = {
  checkpoint: string;
  checkpointAsc: string;
  noteKey: string;
  proofs: TLogProofs;
  /** From the last checkpoint mailed to the lists, when there is one. */
  consistency?: TLogConsistency;
};

/** Writes log/checkpoint, log/checkpoint.asc, log/note-key and log/proofs.json; returns the manifest's `log`. */
export function writeLogFiles(files: Map<string, Uint8Array>, log: TBundleLogFiles): TBundleLog {
  files.set(LOG_FILES.checkpoint, text(log.checkpoint));
  files.set(LOG_FILES.signature, text(log.checkpointAsc.trim() + "\n"));
  files.set(LOG_FILES.noteKey, text(log.noteKey.trim() + "\n"));
  files.set(LOG_FILES.proofs, text(JSON.stringify(log.proofs, null, 2) + "\n"));
  if (log.consistency)
    files.set(LOG_FILES.consistency, text(JSON.stringify(log.consistency, null, 2) + "\n"));
  return {
    checkpoint: LOG_FILES.checkpoint,
    signature: LOG_FILES.signature,
    noteKey: LOG_FILES.noteKey,
    proofs: LOG_FILES.proofs,
    treeSize: log.proofs.treeSize,
  };
}

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
  const log = input.log ? writeLogFiles(files, input.log) : undefined;
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
    ...(log ? { log } : {}),
    files: Object.fromEntries([...files].map(([name, bytes]) => [name, sha256Hex(bytes)])),
  };
}

export function writeManifest(files: Map<string, Uint8Array>, manifest: object) {
  files.set(MANIFEST, text(JSON.stringify(manifest, null, 2) + "\n"));
  return files;
}
