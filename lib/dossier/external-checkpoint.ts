import { verifyCheckpoint } from "../crypto/checkpoint";
import { inconsistency, proofNeeded } from "../crypto/checkpoint-consistency";
import { isAppError } from "../errors";
import { jsonOf } from "./bundle-checks";
import type { CheckLog } from "./check-log";
import { LOG_FILES, ZLogConsistency, type TBundleLog } from "./log-manifest";
import { NO_LOG_MESSAGE, readBundleCheckpoint, type TBundleCheckpoint } from "./verify-log";

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

// Issue #16: a checkpoint obtained outside the bundle (the list archive, a
// monitor's state, a colleague's copy) as a second trust anchor. People keep it
// as they got it: the bare note, or the mail that carried it, so the note is
// found inside the text by the log's origin line.

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Undoes a quoted-printable mail body (soft line breaks, =XX bytes) when it is one. */
function unquote(text: string): string {
  if (!/=[0-9A-F]{2}|=\n/.test(text)) return text;
  const bytes: number[] = [];
  const raw = text.replace(/=\n/g, "");
  for (let i = 0; i < raw.length; i++) {
    const m = raw[i] === "=" && /^[0-9A-F]{2}$/.exec(raw.slice(i + 1, i + 3));
    if (m) {
      bytes.push(parseInt(m[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(raw[i]));
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * Every signed note of `origin` in `text` (a bare note, a mail body or
 * archive page holding one, a `log watch` state file), in the order they appear; each rebuilt exactly:
 * the three checkpoint lines, a blank line, the signature lines.
 */
export function notesIn(text: string, origin: string): string[] {
  const notes: string[] = [];
  const candidates = new Set([text, unquote(text.replace(/\r\n/g, "\n"))]);
  // A `patchgate log watch` state file keeps the note as a JSON string.
  const kept = parseJson(text);
  if (
    typeof kept === "object" &&
    kept &&
    typeof (kept as { checkpoint?: unknown }).checkpoint === "string"
  )
    candidates.add((kept as { checkpoint: string }).checkpoint);
  for (const candidate of candidates) {
    const lines = candidate.replace(/\r\n/g, "\n").split("\n");
    for (let i = 0; i + 4 < lines.length; i++) {
      if (lines[i] !== origin || !/^[0-9]+$/.test(lines[i + 1]) || lines[i + 3] !== "") continue;
      let j = i + 4;
      while (j < lines.length && lines[j].startsWith("\u2014 ")) j++;
      if (j === i + 4) continue;
      notes.push([...lines.slice(i, i + 3), "", ...lines.slice(i + 4, j)].join("\n") + "\n");
    }
  }
  return [...new Set(notes)];
}

/**
 * The checkpoint in `text` whose note signature verifies with `vkey` (the
 * bundle's log/note-key), or why there is none.
 */
export function externalCheckpoint(text: string, vkey: string): TBundleCheckpoint | string {
  const origin = vkey.split("+")[0];
  const notes = notesIn(text, origin);
  if (!notes.length) return `holds no signed checkpoint of the log ${origin}`;
  let last = "";
  for (const note of notes) {
    try {
      const c = verifyCheckpoint(note, vkey);
      return { origin: c.origin, size: c.treeSize, root: c.rootHash, note, vkey };
    } catch (e) {
      last = isAppError(e) ? e.message : (e as Error).message;
    }
  }
  return `holds no checkpoint signed with the bundle's note key ${vkey.split("+").slice(0, 2).join("+")} (${last})`;
}

/** Where a consistency proof can come from when the two checkpoints differ in size. */
export type TProofSource = {
  /** "https://portal.example.org": named in the output as the anchor used. */
  name: string;
  consistency: (from: number, to: number) => Promise<Uint8Array[]>;
};

/**
 * `patchgate verify BUNDLE --checkpoint FILE`: FILE's checkpoint verifies with
 * the bundle's log/note-key, and the bundle's checkpoint and FILE's are of one
 * append-only log (equal roots at equal sizes; else a consistency proof from
 * `portal` or the bundle's log/consistency.json). Call it on a bundle that
 * verified: the bundle's checkpoint is then the portal's word.
 */
export async function checkExternalCheckpoint(
  log: CheckLog,
  input: {
    files: ReadonlyMap<string, Uint8Array>;
    entry: TBundleLog | undefined;
    /** FILE's name, for the output, and its text. */
    name: string;
    text: string;
    portal?: TProofSource;
  },
): Promise<boolean> {
  const { files, entry, name } = input;
  if (!entry) {
    log.fail(
      "checkpoint",
      name,
      `the bundle has ${NO_LOG_MESSAGE}: there is nothing to compare it with`,
    );
    return false;
  }
  const ours = readBundleCheckpoint(files, entry);
  if ("problem" in ours) {
    log.fail("checkpoint", ours.subject, ours.problem);
    return false;
  }
  const theirs = externalCheckpoint(input.text, ours.vkey);
  if (typeof theirs === "string") {
    log.fail("checkpoint", name, theirs);
    return false;
  }
  log.pass(
    "checkpoint",
    name,
    `tree size ${theirs.size}, root ${b64(theirs.root)}: good note signature by the bundle's ${entry.noteKey} (${ours.vkey.split("+").slice(0, 2).join("+")})`,
  );
  const need = proofNeeded(ours, theirs);
  let proof: Uint8Array[] | null = null;
  let anchor = ours.size === theirs.size ? "equal tree sizes, equal roots" : "the empty tree";
  if (need && input.portal) {
    try {
      proof = await input.portal.consistency(need.from, need.to);
      anchor = `consistency proof ${need.from} → ${need.to} fetched from ${input.portal.name}`;
    } catch (e) {
      log.fail(
        "checkpoint",
        "consistency",
        `cannot fetch the consistency proof: ${(e as Error).message}`,
      );
      return false;
    }
  } else if (need) {
    const carried = ZLogConsistency.safeParse(jsonOf(files.get(LOG_FILES.consistency)));
    if (!carried.success || carried.data.from !== need.from || carried.data.to !== need.to) {
      log.fail(
        "checkpoint",
        "consistency",
        `the checkpoints differ in size (${ours.size}, ${theirs.size}): a consistency proof ${need.from} → ${need.to} is needed; pass --portal URL to fetch it${carried.success ? ` (the bundle's ${LOG_FILES.consistency} is for ${carried.data.from} → ${carried.data.to})` : ""}`,
      );
      return false;
    }
    proof = carried.data.proof.map((p) => new Uint8Array(Buffer.from(p, "base64")));
    anchor = `consistency proof ${need.from} → ${need.to} carried in the bundle's ${LOG_FILES.consistency}`;
  }
  const problem = inconsistency(ours, theirs, proof);
  return log.expect(
    "checkpoint",
    "consistency",
    problem ? [problem] : [],
    `the bundle's checkpoint (size ${ours.size}) and ${name}'s (size ${theirs.size}) are of one append-only log: ${anchor}`,
  );
}
