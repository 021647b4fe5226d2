import * as openpgp from "openpgp";
import { isAppError } from "../errors";
import { parseStatement, type TParsedStatement } from "../domain/statements";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { sha256Hex } from "../crypto/hash";
import { keyFile, revisionFile } from "./layout";
import { decodeDiff, splitDiff } from "../domain/diff-files";
import { checkLineComments, parseLineComments } from "../domain/line-comments";
import type { TManifest } from "./manifest";
import { utf8Text, type CheckLog } from "./check-log";

export type TVerifiedStatement = TManifest["statements"][number] & { parsed: TParsedStatement };

/** Each key file holds exactly one public key whose fingerprint is its name. Returns the usable ones. */
export async function checkKeys(
  log: CheckLog,
  manifest: TManifest,
  files: ReadonlyMap<string, Uint8Array>,
) {
  const keys = new Map<string, string>();
  for (const entry of manifest.keys) {
    const problems: string[] = [];
    const bytes = files.get(entry.file);
    const text = bytes && utf8Text(bytes);
    if (entry.file !== keyFile(entry.fingerprint))
      problems.push(`the key file should be named ${keyFile(entry.fingerprint)}`);
    if (!bytes) problems.push("the key file is missing");
    else if (text == null) problems.push("the key file is not UTF-8 text");
    else {
      try {
        const all = await openpgp.readKeys({ armoredKeys: text });
        if (all.length !== 1) problems.push(`holds ${all.length} keys, not one`);
        else if (all[0].isPrivate()) problems.push("holds a private key");
        else if (all[0].getFingerprint().toUpperCase() !== entry.fingerprint) {
          problems.push(
            `holds key ${all[0].getFingerprint().toUpperCase()}, not ${entry.fingerprint}`,
          );
        } else keys.set(entry.fingerprint, text);
      } catch (e) {
        problems.push(`is not a readable OpenPGP public key (${(e as Error).message})`);
      }
    }
    log.expect("key", entry.file, problems, `public key ${entry.fingerprint}`);
  }
  return keys;
}

const FIELD_OF_ENTRY = (s: TManifest["statements"][number]): [string, string][] => [
  ["kind", s.kind],
  ["verdict", s.verdict],
  ["revision", String(s.revision)],
  ["signer-account", s.signer.account],
  ["signer-email", s.signer.email],
  ["key-fingerprint", s.fingerprint],
  ...(s.step === undefined ? [] : [["step", String(s.step)] as [string, string]]),
];

/**
 * Every statement parses, is about this patch, says what the manifest says it
 * says, binds the dossier's diff of its revision, and carries a detached
 * signature that verifies with the key it names.
 */
export async function checkStatements(
  log: CheckLog,
  manifest: TManifest,
  files: ReadonlyMap<string, Uint8Array>,
  keys: Map<string, string>,
) {
  const verified: TVerifiedStatement[] = [];
  for (const entry of manifest.statements) {
    const bytes = files.get(entry.file);
    const text = bytes && utf8Text(bytes);
    const parsed = text ? parseStatement(text) : null;
    if (!parsed) {
      log.fail(
        "statement",
        entry.file,
        bytes ? "is not a patchgate-statement v1 text" : "the statement file is missing",
      );
      continue;
    }

    const fields: string[] = [];
    if (parsed.patch !== manifest.patch.id)
      fields.push(`names patch ${parsed.patch}, not ${manifest.patch.id}`);
    if (parsed["patch-number"] !== String(manifest.patch.number))
      fields.push(`names patch number ${parsed["patch-number"]}, not ${manifest.patch.number}`);
    if (parsed.system !== manifest.patch.system)
      fields.push(`names system ${parsed.system}, not ${manifest.patch.system}`);
    if (parsed.bug !== manifest.patch.bugId)
      fields.push(`names bug ${parsed.bug}, not ${manifest.patch.bugId}`);
    for (const [field, expected] of FIELD_OF_ENTRY(entry)) {
      if (parsed[field] !== expected)
        fields.push(`says ${field}: ${parsed[field]}, the manifest says ${expected}`);
    }
    if (entry.key !== keyFile(entry.fingerprint))
      fields.push(`the manifest names key file ${entry.key}, not ${keyFile(entry.fingerprint)}`);
    log.expect(
      "statement",
      entry.file,
      fields,
      `${entry.kind} ${entry.verdict} of revision ${entry.revision} by ${entry.signer.email}`,
    );

    // The statement binds the artifact: its hash must be the dossier's diff's.
    const diffName = revisionFile(entry.revision);
    const diff = files.get(diffName);
    if (!diff)
      log.fail(
        "diff-sha256",
        entry.file,
        `names revision ${entry.revision}, but ${diffName} is not in the dossier`,
      );
    else if (sha256Hex(diff) !== parsed["diff-sha256"])
      log.fail(
        "diff-sha256",
        entry.file,
        `diff-sha256 ${parsed["diff-sha256"]} is not the SHA-256 of ${diffName} (${sha256Hex(diff)})`,
      );
    else log.pass("diff-sha256", entry.file, `matches ${diffName}`);
    checkStatementLineComments(log, entry, parsed, diff);

    const signatureOk = await checkSignature(log, entry, text!, files, keys, parsed);
    if (fields.length === 0 && signatureOk) verified.push({ ...entry, parsed });
  }
  return verified;
}

/** A review's line comments parse and name files and lines of the diff it signs. */
function checkStatementLineComments(
  log: CheckLog,
  entry: TManifest["statements"][number],
  parsed: TParsedStatement,
  diff: Uint8Array | undefined,
) {
  const comments = parseLineComments(parsed);
  if (!comments)
    return log.fail("line-comments", entry.file, "its line-comment fields do not parse");
  if (comments.length === 0) return;
  if (entry.kind !== "review")
    return log.fail("line-comments", entry.file, `a ${entry.kind} statement has line comments`);
  if (!diff) return;
  const r = checkLineComments(comments, splitDiff(decodeDiff(diff)));
  log.expect(
    "line-comments",
    entry.file,
    r.ok ? [] : r.problems.map((p) => p.message),
    `${comments.length} line comment${comments.length === 1 ? "" : "s"} on lines of ${revisionFile(entry.revision)}`,
  );
}

async function checkSignature(
  log: CheckLog,
  entry: TManifest["statements"][number],
  statement: string,
  files: ReadonlyMap<string, Uint8Array>,
  keys: Map<string, string>,
  parsed: TParsedStatement,
): Promise<boolean> {
  const named = parsed["key-fingerprint"];
  const key = keys.get(named ?? "");
  const signature = files.get(entry.signature);
  const armored = signature && utf8Text(signature);
  if (!key) {
    log.fail(
      "signature",
      entry.file,
      `the key it names (${named}) is not in the dossier or is unusable`,
    );
    return false;
  }
  if (!armored) {
    log.fail(
      "signature",
      entry.file,
      signature ? `${entry.signature} is not text` : `${entry.signature} is missing`,
    );
    return false;
  }
  try {
    // Judged as of the server's receipt: a key that expired later still signed validly then.
    await verifyDetachedSignature({
      statement,
      armoredSignature: armored,
      armoredPublicKey: key,
      now: new Date(entry.receivedAt),
    });
    log.pass("signature", entry.file, `good signature by ${named}`);
    return true;
  } catch (e) {
    log.fail(
      "signature",
      entry.file,
      `${entry.signature}: ${isAppError(e) ? e.message : (e as Error).message}`,
    );
    return false;
  }
}
