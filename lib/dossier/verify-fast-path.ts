import { isAppError } from "../errors";
import { parseStatement, type TParsedStatement } from "../domain/statements";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { sha256Hex } from "../crypto/hash";
import { LADDER, type TMove } from "../domain/emergency-ladder";
import { fastPathSignoffs } from "../domain/emergency-fast-path";
import type { TSignoffFact } from "../domain/patch-state";
import { ROLE_LABEL, type TRole } from "../domain/roles";
import { keyFile } from "./layout";
import type { TManifest } from "./manifest";
import { utf8Text, type CheckLog } from "./check-log";

// E3 in the patch's dossier: option 1's patch has no sign-off statements of its
// own; its gates are statements signed on the emergency (`option1-patch`,
// `gate`), which the manifest lists under `fastPath`. Each must be signed by a
// key of the account the manifest names, by someone allowed to make that move,
// and name this emergency, this patch and the SHA-256 of one of its revisions'
// diffs; the verified ones are read as sign-offs with the portal's own rule
// (fastPathSignoffs), so the gates and the deployment are checked as for any patch.

type TEntry = NonNullable<TManifest["fastPath"]>["statements"][number];
export type TVerifiedFastPath = TEntry & { parsed: TParsedStatement; move: TMove };

/** What the manifest says the statement says, field by field. */
const FIELDS_OF = (e: TEntry, fp: NonNullable<TManifest["fastPath"]>): [string, string?][] => [
  ["kind", e.kind],
  ["gate", e.gate],
  ["verdict", e.verdict],
  ["emergency", fp.emergency.id],
  ["emergency-number", String(fp.emergency.number)],
  ["patch-sha256", e.sha256],
  ["signer-account", e.signer.account],
  ["signer-email", e.signer.email],
  ["key-fingerprint", e.fingerprint],
];

/** The sign-offs the verified option-1 statements stand for, on the dossier's revisions. */
export function fastPathFacts(
  manifest: TManifest,
  verified: readonly TVerifiedFastPath[],
): TSignoffFact[] {
  return fastPathSignoffs(
    verified.map((v) => v.move),
    manifest.revisions.map((r) => ({ number: r.number, diffSha256: r.sha256 })),
  );
}

/** The revision whose diff file in the dossier hashes to `sha256`. */
function revisionOf(manifest: TManifest, files: ReadonlyMap<string, Uint8Array>, sha256?: string) {
  return manifest.revisions.find((r) => {
    const diff = files.get(r.file);
    return diff !== undefined && sha256Hex(diff) === sha256;
  });
}

export async function checkFastPath(
  log: CheckLog,
  manifest: TManifest,
  files: ReadonlyMap<string, Uint8Array>,
  keys: Map<string, string>,
): Promise<TVerifiedFastPath[]> {
  const fp = manifest.fastPath;
  if (!fp) return [];
  const ordinary = manifest.statements.filter((s) =>
    ["submit", "review", "test", "request"].includes(s.kind),
  );
  log.expect(
    "fast-path",
    "manifest.json",
    ordinary.map(
      (s) => `${s.file}: a ${s.kind} sign-off on a patch whose gates are signed on the emergency`,
    ),
    `patch ${manifest.patch.number} is on emergency #${fp.emergency.number}'s fast path: ${fp.statements.length} option-1 statement(s)`,
  );
  const owner = new Map(manifest.keys.map((k) => [k.fingerprint, k.account]));
  const verified: TVerifiedFastPath[] = [];
  for (const entry of fp.statements) {
    const bytes = files.get(entry.file);
    const text = bytes && utf8Text(bytes);
    const parsed = text ? parseStatement(text) : null;
    if (!text || !parsed) {
      log.fail(
        "fast-path",
        entry.file,
        bytes ? "is not a patchgate-statement v1 text" : "the statement file is missing",
      );
      continue;
    }
    const problems: string[] = [];
    for (const [field, expected] of FIELDS_OF(entry, fp))
      if (parsed[field] !== expected)
        problems.push(`says ${field}: ${parsed[field]}, the manifest says ${expected}`);
    if (parsed.system !== manifest.patch.system)
      problems.push(`names system ${parsed.system}, not ${manifest.patch.system}`);
    const revision = revisionOf(manifest, files, parsed["patch-sha256"]);
    if (!revision)
      problems.push(
        `patch-sha256 ${parsed["patch-sha256"]} is the SHA-256 of no revision in the dossier`,
      );
    // The first preparation created the patch, so it names no number yet; every later statement does.
    const first = entry.kind === "option1-patch" && revision?.number === 1;
    if (
      parsed["patch-number"] !== String(manifest.patch.number) &&
      !(first && parsed["patch-number"] === undefined)
    )
      problems.push(`names patch number ${parsed["patch-number"]}, not ${manifest.patch.number}`);
    if (entry.key !== keyFile(entry.fingerprint))
      problems.push(`the manifest names key file ${entry.key}, not ${keyFile(entry.fingerprint)}`);
    const account = owner.get(entry.fingerprint);
    if (!account) problems.push(`key ${entry.fingerprint} has no account in the manifest`);
    else if (account.id !== entry.signer.account || account.email !== entry.signer.email)
      problems.push(
        `key ${entry.fingerprint} belongs to account ${account.id} (${account.email}), not to the signer ${entry.signer.account} (${entry.signer.email})`,
      );
    const move: TMove = {
      kind: entry.kind,
      actorId: entry.signer.account,
      gate: entry.gate,
      sha256: parsed["patch-sha256"],
      verdict: entry.verdict,
    };
    const allowed = LADDER[entry.kind].who(move);
    const roles = entry.signer.roles as TRole[];
    if (!roles.some((r) => allowed.includes(r)))
      problems.push(
        `the ${entry.gate ?? entry.kind} needs ${allowed.map((r) => ROLE_LABEL[r]).join(" or ") || "a gate"}, but the signer held ${roles.map((r) => ROLE_LABEL[r]).join(", ") || "no role"} when it was received`,
      );
    log.expect(
      "fast-path",
      entry.file,
      problems,
      `${entry.gate ?? entry.kind}${entry.verdict ? ` ${entry.verdict}` : ""} of revision ${revision?.number} by ${entry.signer.email}`,
    );
    const signed = await checkSignature(log, entry, text, files, keys);
    if (problems.length === 0 && signed) verified.push({ ...entry, parsed, move });
  }
  return verified;
}

async function checkSignature(
  log: CheckLog,
  entry: TEntry,
  statement: string,
  files: ReadonlyMap<string, Uint8Array>,
  keys: Map<string, string>,
): Promise<boolean> {
  const key = keys.get(entry.fingerprint);
  const signature = files.get(entry.signature);
  const armored = signature && utf8Text(signature);
  if (!key) {
    log.fail(
      "signature",
      entry.file,
      `the key ${entry.fingerprint} is not in the dossier or is unusable`,
    );
    return false;
  }
  if (!armored) {
    log.fail("signature", entry.file, `${entry.signature} is missing or not text`);
    return false;
  }
  try {
    await verifyDetachedSignature({
      statement,
      armoredSignature: armored,
      armoredPublicKey: key,
      now: new Date(entry.receivedAt),
    });
    log.pass("signature", entry.file, `good signature by ${entry.fingerprint}`);
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
