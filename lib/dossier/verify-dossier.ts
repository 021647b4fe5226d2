import { sha256Hex } from "../crypto/hash";
import { CHECKSUMS, DEPLOYMENT, MANIFEST, dossierRoot, SELF_DESCRIBING } from "./layout";
import { ZDeploymentFile, ZManifest, type TDeploymentFile, type TManifest } from "./manifest";
import { CheckLog, utf8Text, type TCheck } from "./check-log";
import { checkKeys, checkStatements } from "./verify-statements";
import { checkDeployments, checkGates, checkPeople } from "./verify-gates";
import { checkAudit } from "./verify-audit";
import { checkSteps } from "./verify-steps";
import { checkNotifications } from "./verify-notification";
import { checkBinding } from "./verify-binding";
import { checkFastPath } from "./verify-fast-path";
import { checkPortalSealKey, type TTrustAnchor } from "./portal-seal";
import { parseEventLines } from "./bundle-checks";
import { checkLogProofs } from "./verify-log";

// The offline verifier (X1): everything is checked from the dossier and one
// trust anchor from outside it (issue #11: the portal's key or fingerprint), no
// database, no network. Every problem is reported, not only the first.

export type TVerifyReport = {
  ok: boolean;
  /** The portal's signature over manifest.json verified with the reader's anchor. */
  sealed: boolean;
  checks: TCheck[];
  problems: TCheck[];
  manifest: TManifest | null;
};

/** SHA256SUMS covers every file but itself, manifest.json and its signature, in `sha256sum -c` format. */
function checkChecksums(log: CheckLog, files: ReadonlyMap<string, Uint8Array>): void {
  const bytes = files.get(CHECKSUMS);
  const text = bytes && utf8Text(bytes);
  if (text == null) {
    log.fail("sha256", CHECKSUMS, bytes ? "is not text" : "is missing");
    return;
  }
  const problems: string[] = [];
  const listed = new Map<string, string>();
  text.split("\n").forEach((line, i) => {
    if (line === "") return;
    const m = line.match(/^([0-9a-f]{64}) {2}(\S+)$/);
    if (!m) problems.push(`line ${i + 1} is not "<sha256>  <file>"`);
    else if (listed.has(m[2])) problems.push(`${m[2]} is listed twice`);
    else listed.set(m[2], m[1]);
  });
  for (const [name, hash] of listed) {
    const file = files.get(name);
    if (!file) problems.push(`${name} is listed but missing`);
    else if (sha256Hex(file) !== hash)
      problems.push(`${name}: SHA-256 ${sha256Hex(file)} is not the listed ${hash}`);
  }
  for (const name of files.keys())
    if (name !== CHECKSUMS && !isSelfDescribing(name) && !listed.has(name))
      problems.push(`${name} is not listed`);
  log.expect("sha256", CHECKSUMS, problems, `${listed.size} files match`);
}

const isSelfDescribing = (name: string) => (SELF_DESCRIBING as readonly string[]).includes(name);

/** A dossier file as JSON, or undefined when it is missing, not UTF-8 or not JSON. */
function jsonOf(bytes: Uint8Array | undefined): unknown {
  const text = bytes && utf8Text(bytes);
  if (text == null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readManifest(log: CheckLog, files: ReadonlyMap<string, Uint8Array>): TManifest | null {
  const bytes = files.get(MANIFEST);
  const json = jsonOf(bytes);
  const parsed = ZManifest.safeParse(json);
  if (!parsed.success) {
    const why =
      json === undefined
        ? bytes
          ? "is not JSON"
          : "is missing"
        : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    log.fail("manifest", MANIFEST, why);
    return null;
  }
  log.pass(
    "manifest",
    MANIFEST,
    `${parsed.data.format}, patch ${parsed.data.patch.number} "${parsed.data.patch.title}" (${parsed.data.patch.state})`,
  );
  return parsed.data;
}

/** Each file's SHA-256 is the manifest's; nothing is missing and nothing unlisted. */
function checkFiles(
  log: CheckLog,
  manifest: TManifest,
  files: ReadonlyMap<string, Uint8Array>,
): void {
  for (const [name, expected] of Object.entries(manifest.files)) {
    const file = files.get(name);
    if (!file) log.fail("sha256", name, "listed in the manifest but missing");
    else if (sha256Hex(file) !== expected)
      log.fail("sha256", name, `SHA-256 ${sha256Hex(file)} is not the manifest's ${expected}`);
    else log.pass("sha256", name, "matches the manifest");
  }
  for (const name of files.keys()) {
    if (!(name in manifest.files) && !isSelfDescribing(name))
      log.fail("sha256", name, "is not listed in the manifest");
  }
  const referenced = [
    ...manifest.revisions.map((r) => r.file),
    ...manifest.statements.flatMap((s) => [s.file, s.signature, s.key]),
    ...(manifest.fastPath?.statements ?? []).flatMap((s) => [s.file, s.signature, s.key]),
    ...manifest.keys.map((k) => k.file),
    manifest.portal.key,
    CHECKSUMS,
    manifest.audit.events,
    manifest.audit.links,
    ...(manifest.deployment ? [manifest.deployment] : []),
  ];
  for (const name of new Set(referenced))
    if (!(name in manifest.files))
      log.fail("manifest", name, "is referenced but has no SHA-256 in the manifest");
  for (const r of manifest.revisions) {
    if (manifest.files[r.file] && manifest.files[r.file] !== r.sha256)
      log.fail("manifest", r.file, `revision ${r.number}'s SHA-256 differs from the file list's`);
  }
}

function readDeployments(
  log: CheckLog,
  manifest: TManifest,
  files: ReadonlyMap<string, Uint8Array>,
): TDeploymentFile["deployments"] {
  if (!manifest.deployment) {
    if (files.has(DEPLOYMENT))
      log.fail("deployment", DEPLOYMENT, "present but the manifest says there is no deployment");
    return [];
  }
  const bytes = files.get(manifest.deployment);
  const json = jsonOf(bytes);
  const parsed = ZDeploymentFile.safeParse(json);
  if (!parsed.success) {
    log.fail("deployment", manifest.deployment, "missing or not a deployment record");
    return [];
  }
  return parsed.data.deployments;
}

/**
 * `files` maps paths inside the dossier's directory (`root`, e.g. "patch-7") to
 * their bytes. `anchor` is the portal key or fingerprint the reader trusts; with
 * none the report is never ok.
 */
export async function verifyDossier(
  files: ReadonlyMap<string, Uint8Array>,
  opts: { root?: string; anchor: TTrustAnchor },
): Promise<TVerifyReport> {
  const log = new CheckLog();
  const manifest = readManifest(log, files);
  const seal = await checkPortalSealKey(log, files, opts.anchor, manifest?.exportedAt ?? null);
  const sealed = seal.sealed;
  checkChecksums(log, files);
  if (manifest) {
    if (opts.root !== undefined && opts.root !== dossierRoot(manifest.patch.number)) {
      log.fail(
        "manifest",
        opts.root,
        `the dossier's directory should be ${dossierRoot(manifest.patch.number)}`,
      );
    }
    checkFiles(log, manifest, files);
    const keys = await checkKeys(log, manifest, files);
    const statements = await checkStatements(log, manifest, files, keys);
    // E3: a fast-path patch's gates are option 1's statements, signed on the emergency.
    const fastPath = await checkFastPath(log, manifest, files, keys);
    const deployments = readDeployments(log, manifest, files);
    checkBinding(log, manifest, statements, deployments);
    checkPeople(log, manifest, statements, fastPath);
    checkGates(log, manifest, statements, deployments, fastPath);
    checkDeployments(log, statements, deployments, manifest);
    checkSteps(log, manifest, statements, deployments, fastPath);
    await checkNotifications(log, files, keys, statements, deployments);
    checkAudit(log, manifest, files);
    const events = files.get(manifest.audit.events);
    // Issue #16: each audit event is a leaf of the portal's transparency log.
    await checkLogProofs(log, {
      files,
      listed: manifest.files,
      entry: manifest.log,
      events: parseEventLines(events && utf8Text(events)).events,
      portalKey: seal.key,
      at: new Date(manifest.exportedAt),
    });
  }
  const problems = log.problems;
  return { ok: sealed && problems.length === 0, sealed, checks: log.checks, problems, manifest };
}
