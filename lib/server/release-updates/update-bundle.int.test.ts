import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import { db, type Tx } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, type TSigner } from "../../../test/signers";
import { gpgHome } from "../../../peers/gpg";
import { ensureSystem } from "../../../prisma/seed/builders";
import { sha256Hex } from "../../crypto/hash";
import { readDossier } from "../../dossier/archive";
import { checksumsText, CHECKSUMS, MANIFEST, MANIFEST_SIGNATURE } from "../../dossier/layout";
import { sealDossier } from "../../dossier/portal-seal";
import type { TUpdateBundleManifest } from "../../dossier/update-bundle";
import { verifyUpdateBundle } from "../../dossier/verify-update-bundle";
import { appendAuditEvent } from "../audit/append-event";
import { portalPublicKey, portalSigningKey } from "../portal-key/portal-key";
import { buildUpdateBundle } from "./build-update-bundle";
import { createUpdate } from "./create-update";
import { editUpdate } from "./edit-update";
import { issueUpdateStatement, recordUpdateSignoff } from "./update-statements";

// A release update's evidence bundle built from the database: the certbot
// update of the seed, created from a template, filled, submitted, reviewed twice, its incompatible change
// acknowledged, jammy verified and noble still needed. It verifies offline
// (with patchgate and with stock gpg and sha256sum), and one changed file is
// found.

const PACKAGES = ["python-acme", "python-certbot", "python-certbot-apache", "python-certbot-nginx"];
const SERIES = ["jammy", "noble"];
const BODY = `[Impact]

Certbot's ACME v1 support ends; the stable series need 2.9.

[Major Changes]

- The --manual-public-ip-logging-ok flag is removed; this is not backwards compatible.
- Better error messages when a challenge fails.

[Test Plan]

Obtain a certificate and serve it with apache and nginx.
`;

let dev: TSigner, r1: TSigner, r2: TSigner, t1: TSigner;
let update: { id: string; number: number };
let bundle: Awaited<ReturnType<typeof buildUpdateBundle>>;

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const anchor = async () => ({ portalKey: (await portalPublicKey()).publicArmored });

async function audit(
  who: TSigner,
  action: Parameters<typeof appendAuditEvent>[1]["action"],
  payload: object,
) {
  await db.$transaction((tx: Tx) =>
    appendAuditEvent(tx, {
      actor: { id: who.id, label: who.email },
      action,
      subjectType: "update",
      subjectId: update.id,
      payload: payload as never,
    }),
  );
}

/** One signed act as the API records it: the statement issued, signed by the person, recorded. */
async function act(who: TSigner, ask: Record<string, unknown>, id = update.id) {
  const { statement } = await issueUpdateStatement({ actor: who, id, ...ask });
  return recordUpdateSignoff({
    actor: who,
    id,
    statement,
    signature: await detachSign(who.privateKey, statement),
  });
}

// The series evidence a tester records and the HTTPS checks the worker runs
// (h-verify's use-cases): written here as they store them, with their audit events.
async function evidence(series: string, kind: "ACME" | "SMOKE", facts: object) {
  const row = await db.seriesEvidence.create({
    data: { updateId: update.id, revision: 1, series, kind, facts, ok: true, recordedById: t1.id },
  });
  await audit(t1, "update.evidence-recorded", {
    number: update.number,
    revision: 1,
    series,
    kind,
    evidenceId: row.id,
    ok: true,
  });
}

async function httpsCheck(series: string, server: "apache" | "nginx") {
  const host = `${series}.certbot-test.example.org`;
  const now = new Date();
  const row = await db.httpsCheck.create({
    data: {
      updateId: update.id,
      revision: 1,
      series,
      server,
      url: `https://${host}/`,
      host,
      port: 443,
      state: "CHECKED",
      requestedById: t1.id,
      checkedAt: now,
      subject: `CN=${host}`,
      sans: [host],
      issuer: "CN=Test ACME CA",
      notBefore: now,
      notAfter: new Date(now.getTime() + 90 * 86_400_000),
      sha256: sha256Hex(host),
      hostValid: true,
      chainValid: true,
      ok: true,
    },
  });
  await audit(t1, "update.https-check-requested", {
    number: update.number,
    revision: 1,
    series,
    server,
    checkId: row.id,
    url: row.url,
  });
  await audit(t1, "update.https-checked", {
    checkId: row.id,
    ok: true,
    sha256: row.sha256,
    reason: "",
  });
}

beforeAll(async () => {
  await resetDatabase();
  [dev, r1, r2, t1] = await Promise.all([
    makeSigner(["DEVELOPER"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["TESTER"]),
  ]);
  await ensureSystem({ slug: "ubuntu", name: "Ubuntu" });
  await db.updateTemplate.create({
    data: { slug: "sru", name: "SRU", body: "[Impact]\n\nTODO\n\n[Major Changes]\n\nTODO\n" },
  });
  const created = await createUpdate({
    actor: dev,
    template: "sru",
    system: "ubuntu",
    title: "certbot 2.9.0 for jammy and noble",
    packages: PACKAGES,
    version: "2.9.0",
    series: SERIES,
    bugId: "2047891",
  });
  update = { id: created.id, number: created.number };
  await editUpdate({ actor: dev, id: update.id, body: BODY });
  await act(dev, { kind: "update-submit" });
  await act(r1, { kind: "update-review", verdict: "approve" });
  await act(r2, { kind: "update-review", verdict: "approve" });
  const approved = await act(r1, { kind: "update-major-ack", change: 1 });
  expect(approved.state).toBe("APPROVED");
  // jammy: every check ok and a signed pass; noble: ACME and apache only, still needed.
  await evidence("jammy", "ACME", {
    domain: "jammy.certbot-test.example.org",
    certificate: { sha256: "ab".repeat(32) },
  });
  await evidence("jammy", "SMOKE", {
    url: "https://autopkgtest.ubuntu.com/results/1",
    result: "pass",
  });
  await httpsCheck("jammy", "apache");
  await httpsCheck("jammy", "nginx");
  await evidence("noble", "ACME", {
    domain: "noble.certbot-test.example.org",
    certificate: { sha256: "cd".repeat(32) },
  });
  await httpsCheck("noble", "apache");
  const verified = await act(t1, {
    kind: "update-verify",
    verdict: "pass",
    series: "jammy",
    versions: Object.fromEntries(PACKAGES.map((p) => [p, "2.9.0-1~22.04.1"])),
    comment: `Verified on jammy: ${PACKAGES.map((p) => `${p} 2.9.0-1~22.04.1`).join(", ")}.`,
  });
  expect(verified.tags).toEqual(["verification-done-jammy", "verification-needed-noble"]);
  bundle = await buildUpdateBundle({ actor: r1, id: update.id });
});

/** Changes a file of the genuine bundle; `reseal`: as an exporter holding the portal key would, every hash agreeing. */
async function tampered(change: (f: Map<string, Uint8Array>) => void, reseal: boolean) {
  const { root, files } = await readDossier(bundle.bytes);
  const out = new Map(files);
  change(out);
  if (reseal) {
    out.delete(MANIFEST_SIGNATURE);
    const m = JSON.parse(decode(out.get(MANIFEST)!)) as TUpdateBundleManifest;
    out.delete(MANIFEST);
    out.set(CHECKSUMS, text(checksumsText(out)));
    m.files = Object.fromEntries([...out].map(([n, b]) => [n, sha256Hex(b)]));
    out.set(MANIFEST, text(JSON.stringify(m, null, 2) + "\n"));
    return {
      root,
      files: await sealDossier(out, await portalSigningKey(), new Date(m.exportedAt)),
    };
  }
  return { root, files: out };
}

async function problemsOf(b: { root: string; files: Map<string, Uint8Array> }) {
  const r = await verifyUpdateBundle(b.files, { root: b.root, anchor: await anchor() });
  expect(r.ok).toBe(false);
  return r.problems.map((p) => `${p.check} ${p.subject}: ${p.message}`);
}

describe("a release update's evidence bundle", () => {
  it("verifies offline: seal, files, revisions, statements, audit, and the tags recomputed", async () => {
    const { root, files } = await readDossier(bundle.bytes);
    expect(root).toBe(`update-${update.number}`);
    expect(bundle.fileName).toBe(`update-${update.number}-evidence.tar.gz`);
    const r = await verifyUpdateBundle(files, { root, anchor: await anchor() });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.tags).toEqual(["verification-done-jammy", "verification-needed-noble"]);
    expect(r.manifest?.tags).toEqual(r.tags);
    expect(r.manifest?.statements.map((s) => s.kind)).toEqual([
      "update-submit",
      "update-review",
      "update-review",
      "update-major-ack",
      "update-verify",
    ]);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        "revisions/r1.md",
        "update/body.md",
        "update/series-evidence.json",
        "update/https-checks.json",
        "evidence/05-update-verify-pass-jammy-r1.json",
        "audit/events.jsonl",
        "portal-key.asc",
        "VERIFY.md",
      ]),
    );
    // The text as submitted (normalised when saved: no trailing newline).
    expect(decode(files.get("revisions/r1.md")!)).toBe(BODY.trimEnd());
  });

  it("is checked by `patchgate verify` (exit 0, the tags printed); without an anchor nothing is proven", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "update-bundle-cli-"));
    const file = path.join(dir, bundle.fileName);
    const key = path.join(dir, "portal.asc");
    writeFileSync(file, bundle.bytes);
    writeFileSync(key, (await portalPublicKey()).publicArmored);
    const out = execFileSync(
      process.execPath,
      ["bin/patchgate.mjs", "verify", file, "--portal-key", key],
      { encoding: "utf8" },
    );
    expect(out).toMatch(/tags: verification-done-jammy, verification-needed-noble/);
    expect(out).toMatch(/dossier verified: \d+ checks passed/);
    const bare = spawnSync(process.execPath, ["bin/patchgate.mjs", "verify", file], {
      encoding: "utf8",
    });
    expect(bare.status).toBe(1);
    expect(bare.stderr).toMatch(/nothing is proven without a trust anchor/);
  });

  it("checks by hand with stock tools: gpg --verify of the seal and each statement, sha256sum -c", async () => {
    const { files } = await readDossier(bundle.bytes);
    const dir = mkdtempSync(path.join(tmpdir(), "update-bundle-stock-"));
    for (const [name, bytes] of files) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), bytes);
    }
    expect(execFileSync("sha256sum", ["-c", CHECKSUMS], { cwd: dir, encoding: "utf8" })).toMatch(
      /revisions\/r1.md: OK/,
    );
    const m = JSON.parse(decode(files.get(MANIFEST)!)) as TUpdateBundleManifest;
    const g = gpgHome();
    try {
      g.gpg(["--import"], (await portalPublicKey()).publicArmored);
      for (const k of m.keys) g.gpg(["--import", path.join(dir, k.file)]);
      const ok = (args: string[]) =>
        spawnSync(
          "gpg",
          ["--homedir", g.home, "--batch", "--status-fd", "1", "--verify", ...args],
          {
            cwd: dir,
            encoding: "utf8",
          },
        );
      expect(ok([MANIFEST_SIGNATURE, MANIFEST]).stdout).toMatch(/\[GNUPG:\] GOODSIG/);
      for (const s of m.statements) {
        const v = ok([s.signature, s.file]);
        expect(v.stdout, s.file).toMatch(new RegExp(`\\[GNUPG:\\] VALIDSIG ${s.fingerprint}`));
      }
      // The revision's text is the one its update-submit names.
      const submit = decode(files.get(m.statements[0].file)!);
      expect(submit).toContain(`body-sha256: ${sha256Hex(files.get("revisions/r1.md")!)}`);
    } finally {
      g.cleanup();
    }
    // The bundle's own armor is what openpgp.js reads too.
    await expect(
      openpgp.readSignature({ armoredSignature: decode(files.get(MANIFEST_SIGNATURE)!) }),
    ).resolves.toBeTruthy();
  });

  it("finds one changed file: its hash first, and resealed, the signed body-sha256", async () => {
    const change = (f: Map<string, Uint8Array>) =>
      f.set("revisions/r1.md", text(BODY.replace("not backwards compatible", "compatible")));
    expect(await problemsOf(await tampered(change, false))).toContainEqual(
      expect.stringMatching(/^sha256 files: revisions\/r1\.md: SHA-256 \w+ is not the manifest's/),
    );
    const resealed = await problemsOf(await tampered(change, true));
    expect(resealed).toContainEqual(
      expect.stringMatching(
        /^statement statements\/01-update-submit-submit-r1\.txt: revisions\/r1\.md hashes to \w+, not the body-sha256 \w+ its update-submit signed: the text was changed$/,
      ),
    );
    // With the change no longer marked incompatible, the acknowledgement does not hold either.
    expect(resealed).toContainEqual(
      expect.stringMatching(
        /^statement statements\/04-update-major-ack-acknowledge-c1-r1\.txt: it acknowledges change 1 as/,
      ),
    );
  });

  it("finds a changed verification evidence file", async () => {
    const file = "evidence/05-update-verify-pass-jammy-r1.json";
    const resealed = await problemsOf(
      await tampered(
        (f) => f.set(file, text(decode(f.get(file)!).replace("22.04", "24.04"))),
        true,
      ),
    );
    expect(resealed).toContainEqual(
      expect.stringMatching(
        /^statement statements\/05-update-verify-pass-jammy-r1\.txt: its evidence evidence\/05-update-verify-pass-jammy-r1\.json hashes to \w+, not the evidence-sha256 \w+ it signed$/,
      ),
    );
  });

  it("holds every revision: a review an edit voided still verifies against the revision it signed", async () => {
    const created = await createUpdate({
      actor: dev,
      template: "sru",
      system: "ubuntu",
      title: "certbot 2.9.0, second try",
      packages: PACKAGES,
      version: "2.9.0",
      series: SERIES,
      bugId: "2047892",
    });
    await editUpdate({ actor: dev, id: created.id, body: BODY });
    await act(dev, { kind: "update-submit" }, created.id);
    await act(r1, { kind: "update-review", verdict: "approve" }, created.id);
    await editUpdate({ actor: dev, id: created.id, body: BODY.replace("2.9", "2.10") });
    const r2 = await act(dev, { kind: "update-submit" }, created.id);
    expect(r2).toMatchObject({ state: "SUBMITTED", revision: 2 });
    const b = await buildUpdateBundle({ actor: r1, id: created.id });
    const { root, files } = await readDossier(b.bytes);
    const r = await verifyUpdateBundle(files, { root, anchor: await anchor() });
    expect(r.problems).toEqual([]);
    expect(r.manifest?.revisions.map((x) => x.number)).toEqual([1, 2]);
    expect(r.manifest?.statements.map((s) => `${s.kind} r${s.revision}`)).toEqual([
      "update-submit r1",
      "update-review r1",
      "update-submit r2",
    ]);
    expect(decode(files.get("revisions/r2.md")!)).toContain("2.10");
    expect(r.tags).toEqual([]);
  });

  it("needs update:read", async () => {
    const nobody = await makeSigner([]);
    await expect(buildUpdateBundle({ actor: nobody, id: update.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
