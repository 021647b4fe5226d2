import { sha256Hex } from "../crypto/hash";
import { isAppError } from "../errors";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { auditHash } from "../crypto/audit-chain";
import { can, type TPermission } from "../domain/permissions";
import { parseStatement } from "../domain/statements";
import type { TRole } from "../domain/roles";
import { CHECKSUMS, keyFile, MANIFEST, SELF_DESCRIBING } from "./layout";
import { CheckLog, utf8Text } from "./check-log";
import { checkPortalSeal, type TTrustAnchor } from "./portal-seal";
import { chainProblems, readLinks } from "./verify-audit";
import { ZEventLine, type TEventLine } from "./manifest";
import {
  hotfixBundleRoot,
  ZHotfixApplications,
  ZHotfixBundleManifest,
  type THotfixBundleManifest,
} from "./hotfix-bundle";
import * as openpgp from "openpgp";

// The offline check of a hotfix's evidence bundle: the portal's seal with the
// reader's anchor, every file's SHA-256, each statement signed by a key of the
// account the manifest names, holding the role it needed, about this hotfix
// file; the release by someone other than the uploader; the audit events
// chained to the head, and every signature among them.

const NEEDS: Record<THotfixBundleManifest["statements"][number]["kind"], TPermission> = {
  "hotfix-release": "hotfix:release",
  "hotfix-verify": "hotfix:manage",
};

function json(bytes: Uint8Array | undefined): unknown {
  const text = bytes && utf8Text(bytes);
  try {
    return text == null ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function checkFiles(
  log: CheckLog,
  m: THotfixBundleManifest,
  files: ReadonlyMap<string, Uint8Array>,
) {
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(m.files)) {
    const bytes = files.get(name);
    if (!bytes) problems.push(`${name} is listed in the manifest but missing`);
    else if (sha256Hex(bytes) !== expected)
      problems.push(`${name}: SHA-256 ${sha256Hex(bytes)} is not the manifest's ${expected}`);
  }
  for (const name of files.keys())
    if (!(name in m.files) && !(SELF_DESCRIBING as readonly string[]).includes(name))
      problems.push(`${name} is not listed in the manifest`);
  if (!(CHECKSUMS in m.files)) problems.push(`${CHECKSUMS} is not listed`);
  log.expect(
    "sha256",
    "files",
    problems,
    `${Object.keys(m.files).length} files match the manifest`,
  );
  const file = files.get(m.hotfix.file);
  log.expect(
    "hotfix",
    m.hotfix.file,
    file && sha256Hex(file) === m.hotfix.sha256
      ? []
      : [`its SHA-256 is not the hotfix's ${m.hotfix.sha256}`],
    `the hotfix file, SHA-256 ${m.hotfix.sha256}`,
  );
}

async function checkKeys(
  log: CheckLog,
  m: THotfixBundleManifest,
  files: ReadonlyMap<string, Uint8Array>,
) {
  const keys = new Map<string, { armored: string; account: string }>();
  for (const k of m.keys) {
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
      keys.set(k.fingerprint, { armored: text!, account: k.account.id });
  }
  return keys;
}

async function checkStatements(
  log: CheckLog,
  m: THotfixBundleManifest,
  files: ReadonlyMap<string, Uint8Array>,
  keys: Map<string, { armored: string; account: string }>,
) {
  for (const s of m.statements) {
    const text = files.get(s.file) && utf8Text(files.get(s.file)!);
    const parsed = text ? parseStatement(text) : null;
    if (!parsed) {
      log.fail("statement", s.file, "missing or not a patchgate-statement v1 text");
      continue;
    }
    const problems: string[] = [];
    const expect: [string, string | undefined][] = [
      ["kind", s.kind],
      ["hotfix", m.hotfix.name],
      ["hotfix-sha256", m.hotfix.sha256],
      ["product", m.hotfix.product],
      ["version", m.hotfix.version],
      ["signer-account", s.signer.account],
      ["key-fingerprint", s.fingerprint],
    ];
    for (const [field, value] of expect)
      if (parsed[field] !== value)
        problems.push(`says ${field}: ${parsed[field]}, the manifest ${value}`);
    const key = keys.get(s.fingerprint);
    if (!key) problems.push(`its key ${s.fingerprint} is not in the bundle`);
    else if (key.account !== s.signer.account)
      problems.push(
        `key ${s.fingerprint} belongs to another account than the signer ${s.signer.email}`,
      );
    if (!can(s.signer.roles as TRole[], NEEDS[s.kind]))
      problems.push(
        `a ${s.kind} needs ${NEEDS[s.kind]}; the signer held ${s.signer.roles.join(", ") || "no role"}`,
      );
    if (s.kind === "hotfix-release" && m.hotfix.uploadedBy?.id === s.signer.account)
      problems.push("the release is signed by the uploader");
    if (key) {
      try {
        await verifyDetachedSignature({
          statement: text!,
          armoredSignature: utf8Text(files.get(s.signature) ?? new Uint8Array()) ?? "",
          armoredPublicKey: key.armored,
          now: new Date(s.receivedAt),
        });
      } catch (e) {
        problems.push(`${s.signature}: ${isAppError(e) ? e.message : (e as Error).message}`);
      }
    }
    log.expect("statement", s.file, problems, `${s.kind} by ${s.signer.email}, good signature`);
  }
}

function checkAudit(
  log: CheckLog,
  m: THotfixBundleManifest,
  files: ReadonlyMap<string, Uint8Array>,
) {
  const text = files.get(m.audit.events) && utf8Text(files.get(m.audit.events)!);
  const links = readLinks(files.get(m.audit.links) && utf8Text(files.get(m.audit.links)!));
  const problems: string[] = [];
  if (typeof links === "string") problems.push(`${m.audit.links}: ${links}`);
  const events: TEventLine[] = [];
  for (const [i, line] of (text ?? "").split("\n").filter(Boolean).entries()) {
    const e = ZEventLine.safeParse(json(new TextEncoder().encode(line)));
    if (!e.success) problems.push(`line ${i + 1} is not an audit event`);
    else events.push(e.data);
  }
  if (events.length !== m.audit.count)
    problems.push(`${events.length} events, the manifest says ${m.audit.count}`);
  for (const e of events) {
    if (auditHash({ ...e, seq: BigInt(e.seq), at: new Date(e.at) }) !== e.hash)
      problems.push(`event ${e.seq} (${e.action}): its content does not match its hash`);
    if (e.subjectType !== "hotfix" || e.subjectId !== m.hotfix.id)
      problems.push(`event ${e.seq} is about ${e.subjectType} ${e.subjectId}, not this hotfix`);
  }
  if (typeof links !== "string" && events.length)
    problems.push(...chainProblems(events, links, m.audit.head));
  const signed = events
    .filter((e) => e.action === "hotfix.released" || e.action === "hotfix.verified")
    .map((e) => (e.payload as { statementId?: string }).statementId);
  for (const s of m.statements)
    if (!signed.includes(s.id)) problems.push(`no audit event records ${s.file}`);
  if (
    !events.some(
      (e) =>
        e.action === "hotfix.uploaded" &&
        (e.payload as { sha256?: string }).sha256 === m.hotfix.sha256,
    )
  )
    problems.push("no hotfix.uploaded event with the file's SHA-256");
  log.expect(
    "audit",
    m.audit.events,
    problems,
    `${events.length} events chain to head ${m.audit.head.seq}`,
  );
}

/** Checks a hotfix bundle (its files by path inside its directory) against the reader's trust anchor. */
export async function verifyHotfixBundle(
  files: ReadonlyMap<string, Uint8Array>,
  opts: { root?: string; anchor: TTrustAnchor },
) {
  const log = new CheckLog();
  const parsed = ZHotfixBundleManifest.safeParse(json(files.get(MANIFEST)));
  const manifest = parsed.success ? parsed.data : null;
  if (!manifest) log.fail("manifest", MANIFEST, "missing or not a hotfix bundle manifest");
  else
    log.pass(
      "manifest",
      MANIFEST,
      `${manifest.format}, ${manifest.hotfix.name} (${manifest.hotfix.issue})`,
    );
  const sealed = await checkPortalSeal(log, files, opts.anchor, manifest?.exportedAt ?? null);
  if (manifest) {
    if (opts.root !== undefined && opts.root !== hotfixBundleRoot(manifest.hotfix.name))
      log.fail("manifest", opts.root, `the bundle's directory should be ${manifest.hotfix.name}`);
    checkFiles(log, manifest, files);
    const keys = await checkKeys(log, manifest, files);
    await checkStatements(log, manifest, files, keys);
    if (!ZHotfixApplications.safeParse(json(files.get(manifest.applications))).success)
      log.fail("applications", manifest.applications, "missing or not the applications record");
    checkAudit(log, manifest, files);
  }
  const problems = log.problems;
  return { ok: sealed && problems.length === 0, sealed, checks: log.checks, problems, manifest };
}
