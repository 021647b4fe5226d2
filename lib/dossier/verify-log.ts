import * as openpgp from "openpgp";
import { eventLeafHash } from "../crypto/audit-leaf";
import { verifyCheckpoint } from "../crypto/checkpoint";
import { verifyInclusion } from "../crypto/merkle";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { isAppError } from "../errors";
import { utf8Text, type CheckLog } from "./check-log";
import type { TSealKey } from "./portal-seal";
import { ZLogProofs, type TBundleLog, type TLogProofs } from "./log-manifest";
import type { TEventLine } from "./manifest";

// Issue #16, offline: a bundle's audit events are leaves of the portal's
// transparency log. The bundle carries the checkpoint (a C2SP signed note, also
// signed with the portal's OpenPGP key) and one inclusion proof per event; the
// verifier recomputes each event's leaf from the event line itself, so an event
// edited after export, or a proof of another event, fails by the event's seq.

type TFiles = ReadonlyMap<string, Uint8Array>;

/** A checkpoint as read from a verified note: what two checkpoints are compared by. */
export type TBundleCheckpoint = {
  origin: string;
  size: number;
  root: Uint8Array;
  /** The note's text, exactly as carried. */
  note: string;
  /** The verifier key line it was verified with (log/note-key). */
  vkey: string;
};

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
const why = (e: unknown) => (isAppError(e) ? e.message : (e as Error).message);

function textOf(files: TFiles, name: string): string | null {
  const bytes = files.get(name);
  return bytes ? utf8Text(bytes) : null;
}

/**
 * The bundle's checkpoint, its note signature verified with the bundle's
 * log/note-key (whose name must be the checkpoint's origin), or why not.
 */
export function readBundleCheckpoint(
  files: TFiles,
  entry: TBundleLog,
): TBundleCheckpoint | { subject: string; problem: string } {
  const note = textOf(files, entry.checkpoint);
  if (note == null) return { subject: entry.checkpoint, problem: "missing or not UTF-8" };
  const vkey = textOf(files, entry.noteKey)?.trim();
  if (!vkey) return { subject: entry.noteKey, problem: "missing or not a verifier key" };
  try {
    const c = verifyCheckpoint(note, vkey);
    return { origin: c.origin, size: c.treeSize, root: c.rootHash, note, vkey };
  } catch (e) {
    return {
      subject: entry.checkpoint,
      problem: `not a checkpoint signed with ${entry.noteKey}: ${why(e)}`,
    };
  }
}

/** log/checkpoint.asc is a good OpenPGP signature over log/checkpoint's exact bytes by the portal key. */
async function checkCheckpointSignature(
  log: CheckLog,
  files: TFiles,
  entry: TBundleLog,
  portalKey: TSealKey | null,
  at: Date,
): Promise<boolean> {
  if (!portalKey) {
    log.fail("log", entry.signature, "not checked: there is no portal key to check it with");
    return false;
  }
  const checkpoint = files.get(entry.checkpoint);
  const signature = textOf(files, entry.signature);
  if (!checkpoint || !signature) {
    log.fail(
      "log",
      entry.signature,
      `${!checkpoint ? entry.checkpoint : entry.signature} is missing`,
    );
    return false;
  }
  let fingerprint = "?";
  try {
    fingerprint = (await openpgp.readKey({ armoredKey: portalKey.armored }))
      .getFingerprint()
      .toUpperCase();
    await verifyDetachedSignature({
      statement: checkpoint,
      armoredSignature: signature,
      armoredPublicKey: portalKey.armored,
      now: at,
    });
  } catch (e) {
    log.fail(
      "log",
      entry.signature,
      `not a good signature over ${entry.checkpoint} by the portal key ${fingerprint}: ${why(e)}`,
    );
    return false;
  }
  log.pass(
    "log",
    entry.signature,
    `good signature over ${entry.checkpoint} by portal key ${fingerprint} (${portalKey.source})`,
  );
  return true;
}

/** Each event has exactly one proof entry, of its own leaf, that verifies against the checkpoint. */
function proofProblems(
  files: TFiles,
  entry: TBundleLog,
  events: readonly TEventLine[],
  checkpoint: TBundleCheckpoint,
): string[] {
  const parsed = ZLogProofs.safeParse(parseJson(textOf(files, entry.proofs)));
  if (!parsed.success) return ["missing or not a patchgate-log-proofs v1 file"];
  const proofs = parsed.data;
  const problems: string[] = [];
  if (proofs.treeSize !== checkpoint.size)
    problems.push(`tree size ${proofs.treeSize}, the checkpoint's is ${checkpoint.size}`);
  if (proofs.rootHash !== b64(checkpoint.root))
    problems.push(`root ${proofs.rootHash}, the checkpoint's is ${b64(checkpoint.root)}`);
  const bySeq = new Map<string, TLogProofs["events"]>();
  for (const p of proofs.events) bySeq.set(p.seq, [...(bySeq.get(p.seq) ?? []), p]);
  for (const e of events) {
    const entries = bySeq.get(e.seq) ?? [];
    if (entries.length !== 1) {
      problems.push(`event ${e.seq} has ${entries.length} proof entries, not one`);
      continue;
    }
    const [p] = entries;
    const index = Number(e.seq) - 1;
    if (p.leafIndex !== index) {
      problems.push(`event ${e.seq}: leaf index ${p.leafIndex}, not ${index}`);
      continue;
    }
    const leaf = eventLeafHash({ ...e, seq: BigInt(e.seq), at: new Date(e.at) });
    if (p.leafHash !== b64(leaf)) {
      problems.push(`event ${e.seq} (${e.action}): its leaf is not the one the proof is for`);
      continue;
    }
    if (index >= checkpoint.size) {
      problems.push(`event ${e.seq} is not in the checkpoint's tree of ${checkpoint.size} leaves`);
      continue;
    }
    if (!verifyInclusion(leaf, index, checkpoint.size, p.proof.map(fromB64), checkpoint.root))
      problems.push(
        `event ${e.seq} (${e.action}): its inclusion proof does not lead to the checkpoint's root`,
      );
  }
  const carried = new Set(events.map((e) => e.seq));
  for (const seq of bySeq.keys())
    if (!carried.has(seq)) problems.push(`a proof entry for event ${seq}, which the bundle lacks`);
  return problems;
}

function parseJson(text: string | null): unknown {
  try {
    return text == null ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const NO_LOG_MESSAGE = "no log proofs (exported before the transparency log)";

/**
 * The log checks of any bundle: `entry` is its manifest's `log` (undefined in a
 * bundle made before the log), `listed` its manifest's file list, `events` its
 * audit events as parsed, `portalKey` the armored portal key the seal was
 * checked with, `at` the export time. Returns the bundle's checkpoint when
 * every check passed, for a comparison with a checkpoint from elsewhere.
 */
export async function checkLogProofs(
  log: CheckLog,
  input: {
    files: TFiles;
    listed: Record<string, string>;
    entry: TBundleLog | undefined;
    events: readonly TEventLine[];
    /** The key the seal was checked with (checkPortalSealKey); null when there is none. */
    portalKey: TSealKey | null;
    at: Date;
  },
): Promise<TBundleCheckpoint | null> {
  const { files, entry } = input;
  if (!entry) {
    const stray = [...files.keys()].filter((n) => n.startsWith("log/"));
    log.expect(
      "log",
      "manifest.json",
      stray.map((n) => `${n} is in the bundle but the manifest has no log entry`),
      NO_LOG_MESSAGE,
    );
    return null;
  }
  const unlisted = [entry.checkpoint, entry.signature, entry.noteKey, entry.proofs].filter(
    (n) => !(n in input.listed),
  );
  if (unlisted.length)
    log.fail("log", "manifest.json", `${unlisted.join(", ")} not in the manifest's file list`);
  const signed = await checkCheckpointSignature(log, files, entry, input.portalKey, input.at);
  const checkpoint = readBundleCheckpoint(files, entry);
  if ("problem" in checkpoint) {
    log.fail("log", checkpoint.subject, checkpoint.problem);
    return null;
  }
  const sizeOk = log.expect(
    "log",
    entry.checkpoint,
    entry.treeSize === checkpoint.size
      ? []
      : [`tree size ${checkpoint.size}, the manifest says ${entry.treeSize}`],
    `${checkpoint.origin}: tree size ${checkpoint.size}, root ${b64(checkpoint.root)}, note signed by ${checkpoint.vkey.split("+").slice(0, 2).join("+")}`,
  );
  const proofsOk = log.expect(
    "log",
    entry.proofs,
    proofProblems(files, entry, input.events, checkpoint),
    `all ${input.events.length} audit events are leaves of the checkpoint's tree (inclusion proofs verified)`,
  );
  return signed && sizeOk && proofsOk && unlisted.length === 0 ? checkpoint : null;
}
