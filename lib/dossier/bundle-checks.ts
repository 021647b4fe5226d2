import * as openpgp from "openpgp";
import { auditHash } from "../crypto/audit-chain";
import { sha256Hex } from "../crypto/hash";
import { CHECKSUMS, keyFile, SELF_DESCRIBING } from "./layout";
import { CheckLog, utf8Text } from "./check-log";
import { chainProblems, readLinks } from "./verify-audit";
import { ZEventLine, type TEventLine } from "./manifest";

// The checks every evidence bundle (a hotfix's, an update package's) runs the
// same way: its files against the manifest, its signers' keys, and its audit
// events against their hashes and the signed head.

export type TFiles = ReadonlyMap<string, Uint8Array>;

export function jsonOf(bytes: Uint8Array | undefined): unknown {
  const text = bytes && utf8Text(bytes);
  try {
    return text == null ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every listed file present with its SHA-256, nothing unlisted but the self-describing files. */
export function checkListedFiles(log: CheckLog, listed: Record<string, string>, files: TFiles) {
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(listed)) {
    const bytes = files.get(name);
    if (!bytes) problems.push(`${name} is listed in the manifest but missing`);
    else if (sha256Hex(bytes) !== expected)
      problems.push(`${name}: SHA-256 ${sha256Hex(bytes)} is not the manifest's ${expected}`);
  }
  for (const name of files.keys())
    if (!(name in listed) && !(SELF_DESCRIBING as readonly string[]).includes(name))
      problems.push(`${name} is not listed in the manifest`);
  if (!(CHECKSUMS in listed)) problems.push(`${CHECKSUMS} is not listed`);
  log.expect("sha256", "files", problems, `${Object.keys(listed).length} files match the manifest`);
}

export type TBundleKey = {
  file: string;
  fingerprint: string;
  account: { id: string; email: string };
};
export type TCheckedKeys = Map<string, { armored: string; account: string }>;

/** Each signer's key file: exactly one public key, the fingerprint the manifest binds to an account. */
export async function checkBundleKeys(
  log: CheckLog,
  keys: readonly TBundleKey[],
  files: TFiles,
): Promise<TCheckedKeys> {
  const checked: TCheckedKeys = new Map();
  for (const k of keys) {
    const text = files.get(k.file) && utf8Text(files.get(k.file)!);
    const problems: string[] = [];
    if (k.file !== keyFile(k.fingerprint))
      problems.push(`should be named ${keyFile(k.fingerprint)}`);
    try {
      const all = text ? await openpgp.readKeys({ armoredKeys: text }) : [];
      if (all.length !== 1 || all[0].isPrivate())
        problems.push("does not hold exactly one public key");
      else if (all[0].getFingerprint().toUpperCase() !== k.fingerprint)
        problems.push(`holds key ${all[0].getFingerprint().toUpperCase()}, not ${k.fingerprint}`);
    } catch (e) {
      problems.push(`is not a readable OpenPGP public key (${(e as Error).message})`);
    }
    if (log.expect("key", k.file, problems, `${k.fingerprint}, account ${k.account.email}`))
      checked.set(k.fingerprint, { armored: text!, account: k.account.id });
  }
  return checked;
}

/** audit/events.jsonl's events, and the numbers of the lines that are not one. */
export function parseEventLines(text: string | null | undefined): {
  events: TEventLine[];
  unreadable: number[];
} {
  const events: TEventLine[] = [];
  const unreadable: number[] = [];
  for (const [i, line] of (text ?? "").split("\n").filter(Boolean).entries()) {
    const e = ZEventLine.safeParse(jsonOf(new TextEncoder().encode(line)));
    if (!e.success) unreadable.push(i + 1);
    else events.push(e.data);
  }
  return { events, unreadable };
}

export type TBundleAudit = {
  events: string;
  links: string;
  count: number;
  head: Parameters<typeof chainProblems>[2];
};

/**
 * The bundle's audit events read back: each line an event whose content
 * matches its hash and that `about` accepts (null, or why not), the count the
 * manifest says, chained through the link hashes to the signed head.
 */
export function readBundleAudit(
  audit: TBundleAudit,
  files: TFiles,
  about: (e: TEventLine) => string | null,
): { events: TEventLine[]; problems: string[] } {
  const text = files.get(audit.events) && utf8Text(files.get(audit.events)!);
  const links = readLinks(files.get(audit.links) && utf8Text(files.get(audit.links)!));
  const problems: string[] = [];
  if (typeof links === "string") problems.push(`${audit.links}: ${links}`);
  const { events, unreadable } = parseEventLines(text);
  for (const line of unreadable) problems.push(`line ${line} is not an audit event`);
  if (events.length !== audit.count)
    problems.push(`${events.length} events, the manifest says ${audit.count}`);
  for (const e of events) {
    if (auditHash({ ...e, seq: BigInt(e.seq), at: new Date(e.at) }) !== e.hash)
      problems.push(`event ${e.seq} (${e.action}): its content does not match its hash`);
    const wrong = about(e);
    if (wrong) problems.push(`event ${e.seq} is about ${e.subjectType} ${e.subjectId}, ${wrong}`);
  }
  if (typeof links !== "string" && events.length)
    problems.push(...chainProblems(events, links, audit.head));
  return { events, problems };
}
