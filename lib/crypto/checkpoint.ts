import { AppError } from "../errors";
import { HASH_SIZE } from "./merkle";
import { isValidKeyName, signNote, type TNotePrivateKey, verifyNote } from "./signed-note";

// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the log's tree
// head as the text of a signed note.
//
//   <origin>
//   <tree size, decimal>
//   <root hash, standard base64>
//
// Patchgate writes no extension lines, and reads none either: a body with
// more lines is not one of its checkpoints. The note is signed under the
// origin as key name, so a checkpoint cannot be passed off as another log's.

export type TCheckpoint = { origin: string; treeSize: number; rootHash: Uint8Array };

function malformed(message: string): never {
  throw new AppError("VALIDATION", `Malformed checkpoint: ${message}`, {
    reason: "malformed-checkpoint",
  });
}

export function formatCheckpoint(c: TCheckpoint): string {
  if (!isValidKeyName(c.origin)) {
    throw new RangeError("the origin is the note key name: non-empty, no spaces, no '+'");
  }
  if (!Number.isSafeInteger(c.treeSize) || c.treeSize < 0) {
    throw new RangeError(`not a tree size: ${c.treeSize}`);
  }
  if (c.rootHash.length !== HASH_SIZE) throw new RangeError("a root hash is 32 bytes");
  return `${c.origin}\n${c.treeSize}\n${Buffer.from(c.rootHash).toString("base64")}\n`;
}

export function parseCheckpoint(body: string): TCheckpoint {
  if (!body.endsWith("\n")) malformed("the text does not end with a newline");
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) malformed("expected three lines: origin, tree size, root hash");
  if (lines.length > 3) malformed("extension lines are not part of Patchgate's checkpoints");
  const [origin, size, root] = lines;
  if (origin === "") malformed("the origin line is empty");
  // Decimal, no sign, no leading zero (but "0" for the empty tree).
  if (!/^(0|[1-9][0-9]*)$/.test(size)) malformed(`the tree size "${size}" is not a decimal number`);
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) malformed(`the tree size ${size} is too large`);
  const rootHash = Buffer.from(root, "base64");
  if (rootHash.length !== HASH_SIZE || rootHash.toString("base64") !== root) {
    malformed("the root hash is not the standard base64 of 32 bytes");
  }
  return { origin, treeSize, rootHash: new Uint8Array(rootHash) };
}

/** The signed checkpoint: the note's key name is the origin. */
export function signCheckpoint(c: TCheckpoint, privateKey: TNotePrivateKey): string {
  return signNote(formatCheckpoint(c), c.origin, privateKey);
}

/**
 * The checkpoint a note carries, if `vkey` signed it and it is a checkpoint
 * of the log the key is named for; throws otherwise.
 */
export function verifyCheckpoint(note: string | Uint8Array, vkey: string): TCheckpoint {
  const checkpoint = parseCheckpoint(verifyNote(note, vkey));
  const keyName = vkey.slice(0, vkey.indexOf("+"));
  if (checkpoint.origin !== keyName) {
    throw new AppError(
      "SIGNATURE_REFUSED",
      `The checkpoint is for the log "${checkpoint.origin}" but was signed by the key of "${keyName}".`,
      { reason: "origin-mismatch" },
    );
  }
  return checkpoint;
}

/** The log's origin: LOG_ORIGIN when set, else `<host of PUBLIC_URL>/patchgate-log`. */
export function logOrigin(publicUrl: string, override?: string): string {
  const origin = override?.trim() || `${new URL(publicUrl).host}/patchgate-log`;
  if (!isValidKeyName(origin))
    throw new RangeError(`LOG_ORIGIN "${origin}" is not a note key name`);
  return origin;
}
