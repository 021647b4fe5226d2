import { openSealedBundle } from "./open-bundle";
import * as openpgp from "openpgp";
import { sha256Hex } from "../crypto/hash";
import { isAppError } from "../errors";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { can } from "../domain/permissions";
import { parseStatement } from "../domain/statements";
import { checklistFor, checklistStep, missingConfirmations } from "../domain/manual-checklist";
import { modeName } from "../domain/package-statements";
import { evidenceText } from "../domain/step-statement";
import type { TRole } from "../domain/roles";
import { verifyPackage } from "../update/verify-package";
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
  certificateFile,
  packageBundleRoot,
  pemToDer,
  vendorKeyFile,
  ZPackageBundleManifest,
  ZPackageUpdateRecord,
  ZPackageVerdicts,
  type TPackageBundleManifest,
  type TPackageUpdateRecord,
  type TPackageVerdicts,
} from "./package-bundle";

// The offline check of an update package's evidence bundle: the portal's seal
// with the reader's anchor, every file's SHA-256, the trusted certificates and
// vendor keys each verdict used, every statement signed by a key of the account
// the manifest names, holding package:apply, about this package and content;
// the checklist in its order; the audit events chained to the head; and the
// package verified again, offline, at the last verdict's time against the
// bundled trust: the last VERIFIED verdict must come out again.

function checkFiles(log: CheckLog, m: TPackageBundleManifest, files: TFiles) {
  checkListedFiles(log, m.files, files);
  const p = m.package;
  const file = files.get(p.file);
  const fileProblems: string[] = [];
  if (!file || sha256Hex(file) !== p.sha256)
    fileProblems.push(`the package file is not the one received: its SHA-256 is not ${p.sha256}`);
  else if (file.length !== p.bytes)
    fileProblems.push(`${file.length} bytes, the manifest says ${p.bytes}`);
  if (
    p.signature &&
    sha256Hex(files.get(p.signature.file) ?? new Uint8Array()) !== p.signature.sha256
  )
    fileProblems.push(`${p.signature.file} is not the detached signature received with it`);
  if (p.content && sha256Hex(files.get(p.content.file) ?? new Uint8Array()) !== p.content.sha256)
    fileProblems.push(`${p.content.file}: its SHA-256 is not the content's ${p.content.sha256}`);
  log.expect(
    "package",
    p.file,
    fileProblems,
    `${p.fileName}, ${p.bytes} bytes, SHA-256 ${p.sha256}${p.content ? `; content SHA-256 ${p.content.sha256}` : ""}`,
  );
}

/** The bundled trust, by SHA-256 and fingerprint: each certificate's DER and each vendor key's text. */
async function checkTrust(log: CheckLog, m: TPackageBundleManifest, files: TFiles) {
  const certificates = new Map<string, Uint8Array>();
  for (const c of m.certificates) {
    const pem = files.get(c.file) && utf8Text(files.get(c.file)!);
    const der = pem ? pemToDer(pem) : null;
    const problems: string[] = [];
    if (c.file !== certificateFile(c.sha256))
      problems.push(`should be named ${certificateFile(c.sha256)}`);
    if (!der) problems.push("is not one PEM certificate");
    else if (sha256Hex(der) !== c.sha256)
      problems.push(
        `holds the certificate with SHA-256 ${sha256Hex(der)}, not the trusted certificate ${c.sha256}: it was replaced`,
      );
    if (log.expect("certificate", c.file, problems, `${c.subject}, ends ${c.notAfter}`))
      certificates.set(c.sha256, der!);
  }
  const vendorKeys = new Map<string, string>();
  for (const k of m.vendorKeys) {
    const text = files.get(k.file) && utf8Text(files.get(k.file)!);
    const problems: string[] = [];
    if (k.file !== vendorKeyFile(k.fingerprint))
      problems.push(`should be named ${vendorKeyFile(k.fingerprint)}`);
    try {
      const key = text ? await openpgp.readKey({ armoredKey: text }) : null;
      if (!key || key.isPrivate()) problems.push("is not a public key");
      else if (key.getFingerprint().toUpperCase() !== k.fingerprint)
        problems.push(`holds key ${key.getFingerprint().toUpperCase()}, not ${k.fingerprint}`);
    } catch (e) {
      problems.push(`is not a readable OpenPGP public key (${(e as Error).message})`);
    }
    if (log.expect("vendor-key", k.file, problems, `vendor key ${k.fingerprint}`))
      vendorKeys.set(k.fingerprint, text!);
  }
  return { certificates, vendorKeys };
}

function readVerdicts(log: CheckLog, m: TPackageBundleManifest, files: TFiles) {
  const parsed = ZPackageVerdicts.safeParse(jsonOf(files.get(m.verdicts)));
  if (!parsed.success) {
    log.fail("verdict", m.verdicts, "missing or not the verdict history");
    return null;
  }
  const verdicts = parsed.data;
  const problems: string[] = [];
  if (verdicts.length === 0) problems.push("no verdict is recorded");
  const last = verdicts.at(-1);
  if (last && (last.state !== m.package.state || last.reason !== m.package.reason))
    problems.push(`the last verdict is ${last.state}, the package says ${m.package.state}`);
  for (const [i, v] of verdicts.entries()) {
    for (const sha of v.certificates)
      if (!m.certificates.some((c) => c.sha256 === sha))
        problems.push(`verdict ${i + 1} used certificate ${sha}, which the bundle does not hold`);
    for (const fpr of v.pgpKeys)
      if (!m.vendorKeys.some((k) => k.fingerprint === fpr))
        problems.push(`verdict ${i + 1} used vendor key ${fpr}, which the bundle does not hold`);
  }
  log.expect(
    "verdict",
    m.verdicts,
    problems,
    `${verdicts.length} verdict(s), the last ${last?.state}${last?.reason ? `: ${last.reason}` : ""}`,
  );
  return verdicts;
}

/**
 * U1/U2 offline: the package verified again over the bundled file, at the time
 * of the verdict being reproduced, against the trust that verdict used.
 */
async function reverify(
  log: CheckLog,
  m: TPackageBundleManifest,
  files: TFiles,
  verdicts: TPackageVerdicts,
  trust: Awaited<ReturnType<typeof checkTrust>>,
) {
  const verified = verdicts.filter((v) => v.state === "VERIFIED").at(-1);
  const target = verified ?? verdicts.at(-1);
  if (!target) return;
  const data = files.get(m.package.file);
  if (!data) return;
  const certificates = target.certificates.map((s) => trust.certificates.get(s));
  const pgpKeys = target.pgpKeys.map((f) => trust.vendorKeys.get(f));
  if (certificates.some((c) => !c) || pgpKeys.some((k) => !k)) {
    log.fail(
      "reverify",
      m.package.file,
      `the trust of the verdict at ${target.at} is not all in the bundle: cannot verify the package again`,
    );
    return;
  }
  let again;
  try {
    again = await verifyPackage({
      data,
      signature: m.package.signature ? files.get(m.package.signature.file) : null,
      certificates: certificates as Uint8Array[],
      pgpKeys: pgpKeys as string[],
      installationName: m.installation.name,
      at: new Date(target.at),
    });
  } catch (e) {
    log.fail(
      "reverify",
      m.package.file,
      `cannot verify the package again: ${(e as Error).message}`,
    );
    return;
  }
  const problems: string[] = [];
  if (again.state !== target.state)
    problems.push(
      `verified again at ${target.at} against the bundled trust, it is ${again.state}${again.reason ? ` (${again.reason})` : ""}, not ${target.state} as the portal recorded`,
    );
  else if (target.state === "VERIFIED" && again.contentSha256 !== m.package.content?.sha256)
    problems.push(
      `verified again, its content has SHA-256 ${again.contentSha256}, not the bundled content's ${m.package.content?.sha256}`,
    );
  if (!verified && m.update)
    problems.push("the package was never VERIFIED, yet the bundle holds an update record");
  log.expect(
    "reverify",
    m.package.file,
    problems,
    verified
      ? `VERIFIED again, offline, at ${target.at} against ${target.certificates.length} certificate(s) and ${target.pgpKeys.length} vendor key(s)`
      : `QUARANTINED again, offline, at ${target.at}: the package was never verified; its content was never offered for use (${target.reason ?? ""})`,
  );
}

async function checkStatements(
  log: CheckLog,
  m: TPackageBundleManifest,
  files: TFiles,
  keys: Map<string, { armored: string; account: string }>,
  update: TPackageUpdateRecord | null,
) {
  for (const s of m.statements) {
    const text = files.get(s.file) && utf8Text(files.get(s.file)!);
    const parsed = text ? parseStatement(text) : null;
    if (!parsed) {
      log.fail("statement", s.file, "missing or not a patchgate-statement v1 text");
      continue;
    }
    const problems: string[] = [];
    const step = update?.steps.find((x) => x.statement === s.id);
    const expect: [string, string | undefined][] = [
      ["kind", s.kind],
      ["verdict", s.kind === "package-apply" ? "apply" : "done"],
      ["installation", m.installation.slug],
      ["package", m.package.id],
      ["package-sha256", m.package.sha256],
      ["content-sha256", m.package.content?.sha256],
      ["package-signer", m.package.signer?.subject || undefined],
      ["mode", update ? modeName(update.mode) : undefined],
      ["signer-account", s.signer.account],
      ["key-fingerprint", s.fingerprint],
    ];
    if (s.kind === "package-step") {
      expect.push(["step", step ? String(step.number) : "(a step update.json records)"]);
      expect.push(["step-key", step?.key]);
      if (step) {
        const evidence = evidenceText(step.evidence);
        if (parsed.comment !== evidence)
          problems.push(
            `its evidence is not the evidence update.json records for step ${step.number}`,
          );
        expect.push(["evidence-sha256", sha256Hex(evidence)]);
      }
    } else if (update?.applyStatement !== s.id)
      problems.push("the update record does not name it as its apply statement");
    for (const [field, value] of expect)
      if (parsed[field] !== value)
        problems.push(
          `says ${field}: ${parsed[field] ?? "(none)"}, the bundle ${value ?? "(none)"}`,
        );
    const key = keys.get(s.fingerprint);
    if (!key) problems.push(`its key ${s.fingerprint} is not in the bundle`);
    else if (key.account !== s.signer.account)
      problems.push(
        `key ${s.fingerprint} belongs to another account than the signer ${s.signer.email}`,
      );
    if (!can(s.signer.roles as TRole[], "package:apply"))
      problems.push(
        `a ${s.kind} needs package:apply; the signer held ${s.signer.roles.join(", ") || "no role"}`,
      );
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
    log.expect(
      "statement",
      s.file,
      problems,
      `${s.kind}${s.step ? ` step ${s.step}` : ""} by ${s.signer.email}, good signature`,
    );
  }
}

/** U4: the record follows its mode; a manual checklist is ticked in its fixed order, each step signed. */
function checkUpdate(
  log: CheckLog,
  m: TPackageBundleManifest,
  update: TPackageUpdateRecord | null,
) {
  if (!update) {
    log.pass("update", "update.json", "no update record: the package was not taken into use");
    return;
  }
  const problems: string[] = [];
  const byId = new Map(m.statements.map((s) => [s.id, s]));
  const expected = checklistFor(m.installation.enterprise);
  if (update.mode === "MANUAL") {
    if (update.applyStatement) problems.push("a manual update carries an apply statement");
    // The first step out of place is named; the ones after it follow from it.
    let ordered = true;
    for (const [i, s] of update.steps.entries()) {
      const want = expected[i];
      const def = checklistStep(s.number);
      if (def?.enterpriseOnly && !m.installation.enterprise)
        problems.push(
          `step ${s.number} (${def.title}) is for Enterprise only; this installation is not Enterprise`,
        );
      else if (ordered && !want) {
        ordered = false;
        problems.push(
          `step ${s.number} comes after the last step of this installation's checklist`,
        );
      } else if (ordered && s.number !== want.number) {
        ordered = false;
        problems.push(
          `step ${s.number} is ticked where step ${want.number} (${want.title}) comes: the checklist's order is broken or a step is missing`,
        );
      }
      if (def && s.key !== def.key) problems.push(`step ${s.number} is ${def.key}, not ${s.key}`);
      if (def) {
        const missing = missingConfirmations(def, s.evidence);
        if (missing.length) problems.push(`step ${s.number} lacks: ${missing.join("; ")}`);
      }
      const st = byId.get(s.statement);
      if (!st || st.kind !== "package-step" || st.step !== s.number)
        problems.push(`step ${s.number}'s signed package-step statement is not in the bundle`);
      const prev = update.steps[i - 1];
      if (prev && new Date(s.tickedAt) < new Date(prev.tickedAt))
        problems.push(`step ${s.number} was ticked before step ${prev.number}`);
    }
    if (update.state === "COMPLETED" && update.steps.length !== expected.length)
      problems.push(
        `the record is COMPLETED with ${update.steps.length} of ${expected.length} steps ticked`,
      );
  } else {
    if (update.steps.length) problems.push(`a ${modeName(update.mode)} update has checklist steps`);
    if (update.mode === "SEMI_AUTOMATIC" && update.state === "COMPLETED") {
      const st = update.applyStatement ? byId.get(update.applyStatement) : undefined;
      if (!st || st.kind !== "package-apply")
        problems.push("the record is COMPLETED without the signed package-apply statement");
    }
  }
  if (update.state === "COMPLETED" && !update.completedAt)
    problems.push("COMPLETED without a completion time");
  const signed = new Set(update.steps.map((s) => s.statement));
  if (update.applyStatement) signed.add(update.applyStatement);
  for (const s of m.statements)
    if (!signed.has(s.id)) problems.push(`${s.file} is not part of the update record`);
  log.expect(
    "update",
    m.update ?? "update.json",
    problems,
    `${modeName(update.mode)}, ${update.state}${update.mode === "MANUAL" ? `, ${update.steps.length} of ${expected.length} steps in order` : ""}`,
  );
}

function checkAudit(
  log: CheckLog,
  m: TPackageBundleManifest,
  files: TFiles,
  update: TPackageUpdateRecord | null,
) {
  const ours = new Set([m.package.id, update?.id].filter(Boolean));
  const { events, problems } = readBundleAudit(m.audit, files, (e) => {
    const p = (e.payload ?? {}) as { packageId?: string; updateId?: string };
    return ours.has(e.subjectId) || ours.has(p.packageId ?? "") || ours.has(p.updateId ?? "")
      ? null
      : "not this package";
  });
  const recorded = events.map((e) => (e.payload as { statementId?: string }).statementId);
  for (const s of m.statements)
    if (!recorded.includes(s.id)) problems.push(`no audit event records ${s.file}`);
  if (
    !events.some(
      (e) =>
        e.action === "package.received" &&
        (e.payload as { sha256?: string }).sha256 === m.package.sha256,
    )
  )
    problems.push("no package.received event with the file's SHA-256");
  log.expect(
    "audit",
    m.audit.events,
    problems,
    `${events.length} events chain to head ${m.audit.head.seq}`,
  );
}

/** Checks an update package's bundle (its files by path inside its directory) against the reader's trust anchor. */
export async function verifyPackageBundle(
  files: TFiles,
  opts: { root?: string; anchor: TTrustAnchor },
) {
  const log = new CheckLog();
  const { manifest, sealed } = await openSealedBundle(log, files, opts, {
    schema: ZPackageBundleManifest,
    what: "an update package bundle manifest",
    describe: (m) =>
      `${m.format}, ${m.package.fileName} for ${m.installation.name} (${m.installation.slug})`,
    root: (m) => packageBundleRoot(m.package.id),
  });
  let quarantined: string | null = null;
  if (manifest) {
    checkFiles(log, manifest, files);
    const trust = await checkTrust(log, manifest, files);
    const verdicts = readVerdicts(log, manifest, files);
    let update: TPackageUpdateRecord | null = null;
    if (manifest.update) {
      const u = ZPackageUpdateRecord.safeParse(jsonOf(files.get(manifest.update)));
      if (!u.success) log.fail("update", manifest.update, "missing or not the update record");
      else update = u.data;
    }
    const keys = await checkBundleKeys(log, manifest.keys, files);
    await checkStatements(log, manifest, files, keys, update);
    checkUpdate(log, manifest, update);
    checkAudit(log, manifest, files, update);
    if (verdicts) await reverify(log, manifest, files, verdicts, trust);
    if (manifest.package.state === "QUARANTINED")
      quarantined = manifest.package.reason ?? "quarantined";
  }
  const problems = log.problems;
  return {
    ok: sealed && problems.length === 0,
    sealed,
    checks: log.checks,
    problems,
    manifest,
    /** The package's standing: null when VERIFIED, otherwise the quarantine's reason. */
    quarantined,
  };
}
