import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db, type Tx } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, type TSigner } from "../../../test/signers";
import { makeCa, makeSigner as makeCertSigner, signPackage } from "../../../test/update-corpus";
import { sha256Hex } from "../../crypto/hash";
import { buildPackageStatement } from "../../domain/package-statements";
import { checklistFor } from "../../domain/manual-checklist";
import { evidenceText } from "../../domain/step-statement";
import { readCertificate } from "../../update/certificate";
import { readDossier } from "../../dossier/archive";
import { sealDossier } from "../../dossier/portal-seal";
import { checksumsText, CHECKSUMS, MANIFEST, MANIFEST_SIGNATURE } from "../../dossier/layout";
import { derToPem, type TPackageBundleManifest } from "../../dossier/package-bundle";
import { verifyPackageBundle } from "../../dossier/verify-package-bundle";
import { appendAuditEvent } from "../audit/append-event";
import { portalPublicKey, portalSigningKey } from "../portal-key/portal-key";
import { buildPackageBundle } from "./build-package-bundle";

// An update record's evidence bundle: everything needed to see, offline and
// without trusting the portal beyond its seal, that this package was verified
// against these trusted certificates, and that each checklist step was signed
// in its order by an admin.

const DAY = 86_400_000;
const now = new Date();
let admin: TSigner;
let verifiedBundle: Awaited<ReturnType<typeof buildPackageBundle>>;
let quarantinedBundle: Awaited<ReturnType<typeof buildPackageBundle>>;
let semiBundle: Awaited<ReturnType<typeof buildPackageBundle>>;
let otherCaPem: string;

const anchor = async () => ({ portalKey: (await portalPublicKey()).publicArmored });
const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function audit(
  action: Parameters<typeof appendAuditEvent>[1]["action"],
  payload: object,
  subjectId: string,
) {
  await db.$transaction((tx: Tx) =>
    appendAuditEvent(tx, {
      actor: { id: admin.id, label: admin.email },
      action,
      subjectType: "package",
      subjectId,
      payload: payload as never,
    }),
  );
}

/** A package row as the intake records it, with its first verdict and their audit events. */
async function receive(opts: {
  installation: { id: string; slug: string };
  bytes: Uint8Array;
  fileName: string;
  state: "VERIFIED" | "QUARANTINED";
  reason: string | null;
  content: Uint8Array | null;
  signer: { subject: string; issuer: string; notAfter: Date };
  certificates: string[];
}) {
  const pkg = await db.updatePackage.create({
    data: {
      installationId: opts.installation.id,
      channel: "API",
      fileName: opts.fileName,
      data: Buffer.from(opts.bytes),
      bytes: opts.bytes.length,
      sha256: sha256Hex(opts.bytes),
      format: "cms",
      state: opts.state,
      reason: opts.reason,
      content: opts.content ? Buffer.from(opts.content) : null,
      contentSha256: opts.content ? sha256Hex(opts.content) : null,
      signerSubject: opts.signer.subject,
      signerIssuer: opts.signer.issuer,
      signerNotAfter: opts.signer.notAfter,
      uploadedById: admin.id,
      receivedAt: now,
      verifiedAt: now,
    },
  });
  await db.packageVerdict.create({
    data: {
      packageId: pkg.id,
      state: opts.state,
      reason: opts.reason,
      certificateSha256s: opts.certificates,
      pgpFingerprints: [],
      byId: admin.id,
      at: now,
    },
  });
  await audit(
    "package.received",
    {
      installation: opts.installation.slug,
      packageId: pkg.id,
      channel: "API",
      fileName: opts.fileName,
      sha256: pkg.sha256,
      bytes: pkg.bytes,
    },
    pkg.id,
  );
  await audit(
    "package.verdict",
    {
      installation: opts.installation.slug,
      packageId: pkg.id,
      state: opts.state,
      reason: opts.reason,
      certificates: opts.certificates,
      pgpKeys: [],
    },
    pkg.id,
  );
  return pkg;
}

const EVIDENCE: Record<number, Record<string, unknown>> = {
  3: { licenceKept: true },
  5: { databaseIncChecked: true },
  10: { os4xrd: true, os4xsqd: true, os4xdebugd: true, os4xclientd: true },
};

type TPkg = {
  id: string;
  sha256: string;
  contentSha256: string | null;
  signerSubject: string | null;
};

/** A package statement the admin signed, stored as the portal stores one it accepted. */
async function signed(
  pkg: TPkg,
  slug: string,
  fields:
    | { kind: "package-apply"; mode: "semi-automatic"; comment: string }
    | {
        kind: "package-step";
        mode: "manual";
        step: number;
        stepKey: string;
        evidenceSha256: string;
        comment: string;
      },
  at: Date,
) {
  const nonce = randomBytes(16).toString("hex");
  const statement = buildPackageStatement({
    ...fields,
    verdict: fields.kind === "package-apply" ? "apply" : "done",
    installation: slug,
    packageId: pkg.id,
    packageSha256: pkg.sha256,
    contentSha256: pkg.contentSha256!,
    signerSubject: pkg.signerSubject!,
    signerId: admin.id,
    signerEmail: admin.email,
    keyFingerprint: admin.fingerprint,
    nonce,
    issuedAt: at,
  });
  const key = await db.pgpKey.findUniqueOrThrow({ where: { fingerprint: admin.fingerprint } });
  const n = await db.statementNonce.create({
    data: {
      nonce,
      userId: admin.id,
      kind: fields.kind,
      subjectType: "package",
      subjectId: pkg.id,
      statement,
      issuedAt: at,
      expiresAt: new Date(at.getTime() + 3_600_000),
      usedAt: at,
    },
  });
  return db.signedStatement.create({
    data: {
      kind: fields.kind,
      subjectType: "package",
      subjectId: pkg.id,
      signerId: admin.id,
      keyId: key.id,
      fingerprint: admin.fingerprint,
      statement,
      signature: await detachSign(admin.privateKey, statement),
      nonceId: n.id,
      receivedAt: at,
    },
  });
}

/** One checklist step ticked: a package-step statement signed by the admin, as the API records it. */
async function tick(
  pkg: TPkg,
  update: { id: string },
  slug: string,
  step: { number: number; key: string },
  at: Date,
) {
  const evidence = EVIDENCE[step.number] ?? { note: `step ${step.number} done` };
  const comment = evidenceText(evidence);
  const st = await signed(
    pkg,
    slug,
    {
      kind: "package-step",
      mode: "manual",
      step: step.number,
      stepKey: step.key,
      evidenceSha256: sha256Hex(comment),
      comment,
    },
    at,
  );
  await db.packageUpdateStep.create({
    data: {
      updateId: update.id,
      number: step.number,
      key: step.key,
      evidence: evidence as object,
      statementId: st.id,
      tickedById: admin.id,
      tickedAt: at,
    },
  });
  await audit(
    "package.step-ticked",
    {
      packageId: pkg.id,
      updateId: update.id,
      step: step.number,
      key: step.key,
      fingerprint: admin.fingerprint,
      statementId: st.id,
    },
    pkg.id,
  );
}

beforeAll(async () => {
  await resetDatabase();
  admin = await makeSigner(["ADMIN"]);
  const dir = mkdtempSync(path.join(tmpdir(), "package-bundle-"));
  const vendor = makeCa({
    dir,
    name: "vendor",
    subject: "/O=c-works/CN=c-works software update CA",
    notBefore: new Date(now.getTime() - 365 * DAY),
    notAfter: new Date(now.getTime() + 5 * 365 * DAY),
  });
  const signer = makeCertSigner({
    dir,
    name: "signer",
    subject: "/O=c-works/CN=c-works software update",
    notBefore: new Date(now.getTime() - 30 * DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
    ca: vendor,
  });
  const other = makeCa({
    dir,
    name: "other",
    subject: "/O=someone else/CN=another CA",
    notBefore: new Date(now.getTime() - 365 * DAY),
    notAfter: new Date(now.getTime() + 5 * 365 * DAY),
  });
  otherCaPem = derToPem(other.der);
  const selfSigned = makeCertSigner({
    dir,
    name: "self",
    subject: "/O=c-works/CN=c-works software update",
    notBefore: new Date(now.getTime() - 30 * DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
  });
  const content = text("#!/bin/sh\necho 'OS4X update 2026-12'\n");
  const good = signPackage({ dir, name: "good", content, signer, outform: "DER" });
  const stale = signPackage({ dir, name: "stale", content, signer: selfSigned, outform: "DER" });

  const inst = await db.installation.create({
    data: { slug: "os4x-prod", name: "OS4X production", product: "OS4X", mode: "MANUAL" },
  });
  const cert = readCertificate(vendor.der);
  await db.trustedCertificate.create({
    data: {
      installationId: inst.id,
      subject: cert.subject,
      issuer: cert.issuer,
      sha256: cert.sha256,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      selfSigned: cert.selfSigned,
      der: Buffer.from(cert.der),
      addedById: admin.id,
    },
  });
  const signerFacts = readCertificate(signer.der);
  const pkg = await receive({
    installation: inst,
    bytes: new Uint8Array(good.bytes),
    fileName: "os4x3_full_pe_Linux-x86.sh.signed",
    state: "VERIFIED",
    reason: null,
    content,
    signer: signerFacts,
    certificates: [cert.sha256],
  });
  const update = await db.packageUpdate.create({
    data: { packageId: pkg.id, installationId: inst.id, mode: "MANUAL", state: "IN_PROGRESS" },
  });
  const steps = checklistFor(false);
  for (const [i, s] of steps.entries())
    await tick(pkg, update, inst.slug, s, new Date(now.getTime() + (i + 1) * 60_000));
  await db.packageUpdate.update({
    where: { id: update.id },
    data: { state: "COMPLETED", completedAt: new Date(now.getTime() + 3_600_000) },
  });
  await audit(
    "package.update-completed",
    { packageId: pkg.id, updateId: update.id, mode: "MANUAL" },
    pkg.id,
  );

  const selfFacts = readCertificate(selfSigned.der);
  const quarantined = await receive({
    installation: inst,
    bytes: new Uint8Array(stale.bytes),
    fileName: "OS4X_UPDATE",
    state: "QUARANTINED",
    reason: `The package was signed by ${selfFacts.subject}, issued by ${selfFacts.issuer}, which your trusted certificate does not vouch for.`,
    content,
    signer: selfFacts,
    certificates: [cert.sha256],
  });

  // A semi-automatic installation: the admin's signed package-apply completes the record.
  const semi = await db.installation.create({
    data: { slug: "os4x-test", name: "OS4X test", product: "OS4X", mode: "SEMI_AUTOMATIC" },
  });
  await db.trustedCertificate.create({
    data: {
      installationId: semi.id,
      subject: cert.subject,
      issuer: cert.issuer,
      sha256: cert.sha256,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      selfSigned: cert.selfSigned,
      der: Buffer.from(cert.der),
    },
  });
  const semiPkg = await receive({
    installation: semi,
    bytes: new Uint8Array(good.bytes),
    fileName: "OS4X_UPDATE",
    state: "VERIFIED",
    reason: null,
    content,
    signer: signerFacts,
    certificates: [cert.sha256],
  });
  const semiUpdate = await db.packageUpdate.create({
    data: {
      packageId: semiPkg.id,
      installationId: semi.id,
      mode: "SEMI_AUTOMATIC",
      state: "AWAITING_APPLY",
    },
  });
  const apply = await signed(
    semiPkg,
    semi.slug,
    { kind: "package-apply", mode: "semi-automatic", comment: "Apply tonight." },
    new Date(now.getTime() + 60_000),
  );
  await db.packageUpdate.update({
    where: { id: semiUpdate.id },
    data: {
      state: "COMPLETED",
      applyStatementId: apply.id,
      appliedById: admin.id,
      completedAt: new Date(now.getTime() + 60_000),
    },
  });
  await audit(
    "package.applied",
    {
      packageId: semiPkg.id,
      updateId: semiUpdate.id,
      fingerprint: admin.fingerprint,
      statementId: apply.id,
    },
    semiPkg.id,
  );
  semiBundle = await buildPackageBundle({ actor: admin, id: semiPkg.id });

  verifiedBundle = await buildPackageBundle({ actor: admin, id: pkg.id });
  quarantinedBundle = await buildPackageBundle({ actor: admin, id: quarantined.id });
}, 120_000);

/** The bundle's files changed by `mutate`, then (with `reseal`) listed and sealed again by the portal key itself. */
async function forge(
  bundle: { bytes: Uint8Array },
  mutate: (files: Map<string, Uint8Array>, m: TPackageBundleManifest) => void,
  reseal: boolean,
) {
  const { root, files } = await readDossier(bundle.bytes);
  const m = JSON.parse(decode(files.get(MANIFEST)!)) as TPackageBundleManifest;
  mutate(files, m);
  if (reseal) {
    for (const name of Object.keys(m.files)) if (!files.has(name)) delete m.files[name];
    files.set(CHECKSUMS, text(checksumsText(files)));
    for (const [name, bytes] of files)
      if (name !== MANIFEST && name !== MANIFEST_SIGNATURE) m.files[name] = sha256Hex(bytes);
    files.set(MANIFEST, text(JSON.stringify(m, null, 2) + "\n"));
    const sealed = await sealDossier(files, await portalSigningKey(), new Date(m.exportedAt));
    return { root, files: sealed };
  }
  files.set(MANIFEST, text(JSON.stringify(m, null, 2) + "\n"));
  return { root, files };
}

async function problemsOf(forged: { root: string; files: Map<string, Uint8Array> }) {
  const report = await verifyPackageBundle(forged.files, {
    root: forged.root,
    anchor: await anchor(),
  });
  expect(report.ok).toBe(false);
  return report.problems.map((p) => `${p.subject}: ${p.message}`).join("\n");
}

function cli(file: string, args: string[]) {
  return spawnSync(process.execPath, ["bin/patchgate.mjs", "verify", file, ...args], {
    encoding: "utf8",
  });
}

describe("an update package's evidence bundle", () => {
  it("verifies offline: seal, files, statements, the checklist's order, and the verdict reproduced", async () => {
    const { root, files } = await readDossier(verifiedBundle.bytes);
    expect(root).toMatch(/^package-/);
    const report = await verifyPackageBundle(files, { root, anchor: await anchor() });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.quarantined).toBeNull();
    const m = report.manifest!;
    expect(m.statements.map((s) => s.step)).toEqual(checklistFor(false).map((s) => s.number));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        "package/os4x3_full_pe_Linux-x86.sh.signed",
        "content/os4x3_full_pe_Linux-x86.sh",
        "verdict.json",
        "update.json",
        `certificates/${m.certificates[0].sha256}.pem`,
      ]),
    );
    expect(report.checks.find((c) => c.check === "reverify")?.message).toMatch(/VERIFIED again/);
  });

  it("is checked by `patchgate verify` (exit 0), and proves nothing without an anchor (exit 1)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "package-bundle-cli-"));
    const file = path.join(dir, verifiedBundle.fileName);
    const key = path.join(dir, "portal.asc");
    writeFileSync(file, verifiedBundle.bytes);
    writeFileSync(key, (await portalPublicKey()).publicArmored);
    const out = execFileSync(
      process.execPath,
      ["bin/patchgate.mjs", "verify", file, "--portal-key", key],
      {
        encoding: "utf8",
      },
    );
    expect(out).toMatch(/dossier verified: \d+ checks passed/);
    const bare = cli(file, []);
    expect(bare.status).toBe(1);
    expect(bare.stderr).toMatch(/nothing is proven without a trust anchor/);
  });

  it("verifies a semi-automatic update completed by a signed package-apply, and refuses it without", async () => {
    const { root, files } = await readDossier(semiBundle.bytes);
    const report = await verifyPackageBundle(files, { root, anchor: await anchor() });
    expect(report.problems).toEqual([]);
    expect(report.manifest?.statements.map((s) => s.kind)).toEqual(["package-apply"]);
    expect(report.checks.find((c) => c.check === "update")?.message).toBe(
      "semi-automatic, COMPLETED",
    );
    const dropped = await problemsOf(
      await forge(
        semiBundle,
        (f, m) => {
          const update = JSON.parse(decode(f.get("update.json")!));
          update.applyStatement = null;
          f.set("update.json", text(JSON.stringify(update, null, 2) + "\n"));
          for (const s of m.statements) {
            f.delete(s.file);
            f.delete(s.signature);
          }
          m.statements = [];
        },
        true,
      ),
    );
    expect(dropped).toMatch(/COMPLETED without the signed package-apply statement/);
  });

  it("says so for a quarantined package", async () => {
    const { root, files } = await readDossier(quarantinedBundle.bytes);
    const report = await verifyPackageBundle(files, { root, anchor: await anchor() });
    expect(report.problems).toEqual([]);
    expect(report.quarantined).toMatch(/does not vouch for/);
    expect(report.manifest?.update).toBeNull();
    const dir = mkdtempSync(path.join(tmpdir(), "package-bundle-q-"));
    const file = path.join(dir, quarantinedBundle.fileName);
    writeFileSync(file, quarantinedBundle.bytes);
    const out = cli(file, ["--portal-fingerprint", (await portalPublicKey()).fingerprint]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(
      /package QUARANTINED, never offered for use: The package was signed by/,
    );
  });

  it("refuses a changed package byte", async () => {
    const change = (files: Map<string, Uint8Array>, m: TPackageBundleManifest) => {
      const bytes = new Uint8Array(files.get(m.package.file)!);
      bytes[bytes.length - 10] ^= 0x01;
      files.set(m.package.file, bytes);
    };
    expect(await problemsOf(await forge(verifiedBundle, change, false))).toMatch(
      /package\/os4x3_full_pe_Linux-x86.sh.signed: SHA-256 \w+ is not the manifest's/,
    );
    // Even listed and sealed again, it is not the file received, nor one the certificates verify.
    const resealed = await problemsOf(
      await forge(
        verifiedBundle,
        (files, m) => {
          change(files, m);
          m.package.sha256 = sha256Hex(files.get(m.package.file)!);
        },
        true,
      ),
    );
    expect(resealed).toMatch(/says package-sha256: \w+, the bundle/);
    expect(resealed).toMatch(/verified again at .* it is QUARANTINED/);
  });

  it("refuses a changed statement", async () => {
    const change = (files: Map<string, Uint8Array>, m: TPackageBundleManifest) => {
      const s = m.statements[2];
      files.set(
        s.file,
        text(decode(files.get(s.file)!).replace('"licenceKept":true', '"licenceKept":false')),
      );
    };
    expect(await problemsOf(await forge(verifiedBundle, change, false))).toMatch(
      /statements\/03-package-step3.txt: SHA-256 \w+ is not the manifest's/,
    );
    const resealed = await problemsOf(await forge(verifiedBundle, change, true));
    expect(resealed).toMatch(/03-package-step3.txt: .*(signature|evidence)/i);
  });

  it("refuses a dropped step", async () => {
    const drop = (files: Map<string, Uint8Array>, m: TPackageBundleManifest) => {
      const update = JSON.parse(decode(files.get("update.json")!));
      const [gone] = update.steps.splice(1, 1);
      files.set("update.json", text(JSON.stringify(update, null, 2) + "\n"));
      const s = m.statements.find((x) => x.id === gone.statement)!;
      m.statements = m.statements.filter((x) => x !== s);
      files.delete(s.file);
      files.delete(s.signature);
    };
    expect(await problemsOf(await forge(verifiedBundle, drop, false))).toMatch(
      /update.json: SHA-256 \w+ is not the manifest's/,
    );
    expect(await problemsOf(await forge(verifiedBundle, drop, true))).toMatch(
      /step 3 is ticked where step 2 \(Run the database schema updater \(os4x_dbupdate\)\) comes/,
    );
  });

  it("refuses an Enterprise step on an installation without Enterprise", async () => {
    const enterpriseStep = (files: Map<string, Uint8Array>) => {
      const update = JSON.parse(decode(files.get("update.json")!));
      const five = update.steps.findIndex((s: { number: number }) => s.number === 5);
      update.steps.splice(five + 1, 0, {
        ...update.steps[five],
        number: 6,
        key: "web-access-client",
      });
      files.set("update.json", text(JSON.stringify(update, null, 2) + "\n"));
    };
    expect(await problemsOf(await forge(verifiedBundle, enterpriseStep, true))).toMatch(
      /step 6 \(Copy the web access client to its target destination\) is for Enterprise only/,
    );
  });

  it("refuses a replaced certificate", async () => {
    const replace = (files: Map<string, Uint8Array>, m: TPackageBundleManifest) => {
      files.set(m.certificates[0].file, text(otherCaPem));
    };
    expect(await problemsOf(await forge(verifiedBundle, replace, false))).toMatch(
      /certificates\/\w+\.pem: SHA-256 \w+ is not the manifest's/,
    );
    expect(await problemsOf(await forge(verifiedBundle, replace, true))).toMatch(
      /holds the certificate with SHA-256 \w+, not the trusted certificate \w+: it was replaced/,
    );
  });
});
