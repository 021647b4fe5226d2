import { generateKeyPairSync, type KeyObject } from "node:crypto";
import * as openpgp from "openpgp";
import { eventLeafHash } from "../lib/crypto/audit-leaf";
import { sha256Hex } from "../lib/crypto/hash";
import { signCheckpoint } from "../lib/crypto/checkpoint";
import { inclusionRanges, leafHash, rootOf } from "../lib/crypto/merkle";
import { vkeyOf } from "../lib/crypto/signed-note";
import { parseEventLines } from "../lib/dossier/bundle-checks";
import { checksumsText, CHECKSUMS, MANIFEST, MANIFEST_SIGNATURE } from "../lib/dossier/layout";
import { LOG_FILES, LOG_PROOFS_FORMAT, type TLogProofs } from "../lib/dossier/log-manifest";
import { sealDossier } from "../lib/dossier/portal-seal";

// Issue #16 for the bundle verifiers' unit tests: a bundle made in memory gets
// the log files the portal's export adds (checkpoint signed with a note key and
// the portal key, one inclusion proof per event), its manifest's log entry, and
// the portal's seal again. The tree's other leaves stand for the portal's other
// events: the verifier sees only their hashes in the proofs.

export const TEST_ORIGIN = "patchgate.test/patchgate-log";
export const testNoteKey: { privateKey: KeyObject; publicKey: KeyObject } =
  generateKeyPairSync("ed25519");
export const testVkey = vkeyOf(TEST_ORIGIN, testNoteKey.publicKey);

const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

export async function withLogFiles(
  files: ReadonlyMap<string, Uint8Array>,
  opts: {
    portalPrivateKey: string;
    /** Leaves after the bundle's last event (the portal's later events). */
    later?: number;
    /** Changes log/proofs.json before it is written, as an exporter could. */
    edit?: (proofs: TLogProofs) => void;
  },
): Promise<Map<string, Uint8Array>> {
  const out = new Map(files);
  const manifest = JSON.parse(new TextDecoder().decode(out.get(MANIFEST)!)) as {
    exportedAt: string;
    audit: { events: string };
    files: Record<string, string>;
    log?: unknown;
  };
  const { events } = parseEventLines(new TextDecoder().decode(out.get(manifest.audit.events)!));
  const bySeq = new Map(events.map((e) => [Number(e.seq), e]));
  const size = Math.max(0, ...bySeq.keys()) + (opts.later ?? 3);
  const leaves = Array.from({ length: size }, (_, i) => {
    const e = bySeq.get(i + 1);
    return e
      ? eventLeafHash({ ...e, seq: BigInt(e.seq), at: new Date(e.at) })
      : leafHash(enc(`another event of the portal, ${i + 1}`));
  });
  const root = rootOf(leaves);
  const checkpoint = signCheckpoint(
    { origin: TEST_ORIGIN, treeSize: size, rootHash: root },
    testNoteKey.privateKey,
  );
  const proofs: TLogProofs = {
    format: LOG_PROOFS_FORMAT,
    treeSize: size,
    rootHash: b64(root),
    events: events.map((e) => {
      const index = Number(e.seq) - 1;
      return {
        seq: e.seq,
        leafIndex: index,
        leafHash: b64(leaves[index]),
        proof: inclusionRanges(index, size).map((r) => b64(rootOf(leaves.slice(r.start, r.end)))),
      };
    }),
  };
  opts.edit?.(proofs);
  const portalKey = await openpgp.readPrivateKey({ armoredKey: opts.portalPrivateKey });
  const exportedAt = new Date(manifest.exportedAt);
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ binary: enc(checkpoint) }),
    signingKeys: portalKey,
    detached: true,
    format: "armored",
    date: exportedAt,
  });
  out.set(LOG_FILES.checkpoint, enc(checkpoint));
  out.set(LOG_FILES.signature, enc(signature));
  out.set(LOG_FILES.noteKey, enc(testVkey + "\n"));
  out.set(LOG_FILES.proofs, enc(JSON.stringify(proofs, null, 2) + "\n"));
  out.delete(MANIFEST);
  out.delete(MANIFEST_SIGNATURE);
  out.set(CHECKSUMS, enc(checksumsText(out)));
  manifest.files = Object.fromEntries([...out].map(([n, b]) => [n, sha256Hex(b)]));
  manifest.log = {
    checkpoint: LOG_FILES.checkpoint,
    signature: LOG_FILES.signature,
    noteKey: LOG_FILES.noteKey,
    proofs: LOG_FILES.proofs,
    treeSize: size,
  };
  out.set(MANIFEST, enc(JSON.stringify(manifest, null, 2) + "\n"));
  return sealDossier(out, portalKey, exportedAt);
}
