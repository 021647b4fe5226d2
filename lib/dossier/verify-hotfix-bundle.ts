import { openSealedBundle } from "./open-bundle";
import { sha256Hex } from "../crypto/hash";
import { isAppError } from "../errors";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { can, type TPermission } from "../domain/permissions";
import { parseStatement } from "../domain/statements";
import type { TRole } from "../domain/roles";
import { CheckLog, utf8Text } from "./check-log";
import {
  checkBundleKeys,
  checkListedFiles,
  jsonOf,
  readBundleAudit,
  type TFiles,
} from "./bundle-checks";
import type { TTrustAnchor } from "./portal-seal";
import {
  hotfixBundleRoot,
  ZHotfixApplications,
  ZHotfixBundleManifest,
  type THotfixBundleManifest,
} from "./hotfix-bundle";

// The offline check of a hotfix's evidence bundle: the portal's seal with the
// reader's anchor, every file's SHA-256, each statement signed by a key of the
// account the manifest names, holding the role it needed, about this hotfix
// file; the release by someone other than the uploader; the audit events
// chained to the head, and every signature among them.

const NEEDS: Record<THotfixBundleManifest["statements"][number]["kind"], TPermission> = {
  "hotfix-release": "hotfix:release",
  "hotfix-verify": "hotfix:manage",
};

function checkFiles(log: CheckLog, m: THotfixBundleManifest, files: TFiles) {
  checkListedFiles(log, m.files, files);
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

async function checkStatements(
  log: CheckLog,
  m: THotfixBundleManifest,
  files: TFiles,
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

function checkAudit(log: CheckLog, m: THotfixBundleManifest, files: TFiles) {
  const { events, problems } = readBundleAudit(m.audit, files, (e) =>
    e.subjectType === "hotfix" && e.subjectId === m.hotfix.id ? null : "not this hotfix",
  );
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
  files: TFiles,
  opts: { root?: string; anchor: TTrustAnchor },
) {
  const log = new CheckLog();
  const { manifest, sealed } = await openSealedBundle(log, files, opts, {
    schema: ZHotfixBundleManifest,
    what: "a hotfix bundle manifest",
    describe: (m) => `${m.format}, ${m.hotfix.name} (${m.hotfix.issue})`,
    root: (m) => hotfixBundleRoot(m.hotfix.name),
  });
  if (manifest) {
    checkFiles(log, manifest, files);
    const keys = await checkBundleKeys(log, manifest.keys, files);
    await checkStatements(log, manifest, files, keys);
    if (!ZHotfixApplications.safeParse(jsonOf(files.get(manifest.applications))).success)
      log.fail("applications", manifest.applications, "missing or not the applications record");
    checkAudit(log, manifest, files);
  }
  const problems = log.problems;
  return { ok: sealed && problems.length === 0, sealed, checks: log.checks, problems, manifest };
}
