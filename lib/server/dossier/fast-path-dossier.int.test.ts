import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { sign } from "../../../test/emergencies";
import { makeTeam, type TTeam } from "../../../test/process";
import { EMERGENCY_FIX_EVIDENCE, tickSteps } from "../../../test/steps";
import { sha256Hex } from "../../crypto/hash";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { addSystem } from "../systems/add-system";
import { openDeployment } from "../deployments/open-deployment";
import { declareEmergency } from "../emergencies/declare-emergency";
import { readDossier } from "../../dossier/archive";
import { checksumsText } from "../../dossier/layout";
import type { TManifest } from "../../dossier/manifest";
import { sealDossier } from "../../dossier/portal-seal";
import { verifyDossier } from "../../dossier/verify-dossier";
import { portalPublicKey, portalSigningKey } from "../portal-key/portal-key";
import { buildDossier } from "./build-dossier";

// E3 and X1: the dossier of option 1's patch carries the emergency's gate
// statements, and the offline verifier reads them as the patch's sign-offs.

const diff = (tag: string) => new TextDecoder().decode(sampleDiff(tag));
const TRANSFER = { develCommit: "a1b2c3d4e5f6", testServer: "test1.cacert.org" };
const utf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytesOf = (text: string) => new TextEncoder().encode(text);

const BIN = fileURLToPath(new URL("../../../bin/patchgate.mjs", import.meta.url));

let t: TTeam;
let prep: TSigner;
let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "patchgate-fast-path-dossier-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The real CLI, offline: no DATABASE_URL in its environment. */
function cliVerify(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATCHGATE_DEBUG: "" };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [BIN, "verify", ...args], { cwd: work, env });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

beforeEach(async () => {
  await resetDatabase();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
  t = await makeTeam();
  prep = await makeSigner(["DEVELOPER", "ASSESSOR"]);
});

const anchor = async () => ({ portalKey: (await portalPublicKey()).publicArmored });

/** Option 1 from preparation (two revisions, the first failed by a tester) to the deployment record. */
async function deployedFastPath() {
  const e = await declareEmergency({
    actor: t.ca1,
    system: "webdb",
    title: "Login bypass on webdb",
    description: "Password check skipped for some accounts.",
    severity: "critical",
  });
  await sign(prep, e.id, "option1-patch", "Fix the password check.", {
    diff: diff("one"),
    bugId: "1234",
  });
  await sign(t.a1, e.id, "gate", "Reviewed.", { gate: "review-1", ...TRANSFER });
  await sign(t.t1, e.id, "gate", "Logins refused on test1.", { gate: "test", verdict: "fail" });
  await sign(t.dev, e.id, "option1-patch", "Fix, take two.", { diff: diff("two") });
  await sign(t.a1, e.id, "gate", "Reviewed again.", { gate: "review-1", ...TRANSFER });
  await sign(t.t1, e.id, "gate", "Logins checked on test1.", { gate: "test", verdict: "pass" });
  await sign(t.t2, e.id, "gate", "Checked too.", { gate: "test", verdict: "pass" });
  await sign(t.a2, e.id, "gate", "Second review; forwarded.", { gate: "review-2" });
  const patch = await db.patch.findFirstOrThrow({ where: { emergencyId: e.id } });
  await openDeployment({ actor: t.ca2, patchId: patch.id });
  await tickSteps(t.ca2, patch.id, 9, EMERGENCY_FIX_EVIDENCE);
  expect((await db.patch.findUniqueOrThrow({ where: { id: patch.id } })).state).toBe("DEPLOYED");
  return { e, patch };
}

/** A dishonest portal's edit: files changed, every hash recomputed, sealed again with the portal key. */
async function reseal(files: Map<string, Uint8Array>, edit: (m: TManifest) => void) {
  const out = new Map(files);
  const manifest = JSON.parse(utf8(out.get("manifest.json")!)) as TManifest;
  edit(manifest);
  for (const name of Object.keys(manifest.files))
    if (out.has(name)) manifest.files[name] = sha256Hex(out.get(name)!);
  for (const name of [...out.keys()])
    if (!(name in manifest.files) && !name.startsWith("manifest.json")) out.delete(name);
  out.delete("SHA256SUMS");
  const sums = bytesOf(checksumsText(out));
  out.set("SHA256SUMS", sums);
  manifest.files.SHA256SUMS = sha256Hex(sums);
  out.set("manifest.json", bytesOf(JSON.stringify(manifest, null, 2) + "\n"));
  return sealDossier(out, await portalSigningKey(), new Date());
}

describe("the dossier of option 1's patch", () => {
  it("carries the emergency's option-1 statements, and the verifier reads them as the sign-offs", async () => {
    const { e, patch } = await deployedFastPath();
    const dossier = await buildDossier({ actor: t.t1, patchId: patch.id });
    const { root, files } = await readDossier(dossier.bytes);
    const report = await verifyDossier(files, { root, anchor: await anchor() });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);

    const manifest = report.manifest!;
    expect(manifest.fastPath?.emergency).toEqual({ id: e.id, number: e.number });
    expect(
      manifest.fastPath?.statements.map((s) => [
        s.kind,
        s.gate ?? null,
        s.verdict ?? null,
        s.signer.account,
      ]),
    ).toEqual([
      ["option1-patch", null, null, prep.id],
      ["gate", "review-1", null, t.a1.id],
      ["gate", "test", "fail", t.t1.id],
      ["option1-patch", null, null, t.dev.id],
      ["gate", "review-1", null, t.a1.id],
      ["gate", "test", "pass", t.t1.id],
      ["gate", "test", "pass", t.t2.id],
      ["gate", "review-2", null, t.a2.id],
    ]);
    // Only the deployment's step statements are patch statements; no ordinary sign-off exists.
    expect(new Set(manifest.statements.map((s) => s.kind))).toEqual(new Set(["step"]));
    expect(manifest.fastPath!.statements.map((s) => s.file)).toEqual(
      manifest.fastPath!.statements.map((_, i) =>
        expect.stringMatching(new RegExp(`^emergency/${String(i + 1).padStart(2, "0")}-`)),
      ),
    );
    // The first preparation created the patch: it names no number; every later statement does.
    const [first, ...later] = manifest.fastPath!.statements;
    expect(utf8(files.get(first.file)!)).not.toContain("patch-number:");
    for (const s of later)
      expect(utf8(files.get(s.file)!)).toContain(`patch-number: ${patch.number}\n`);
    for (const s of manifest.fastPath!.statements) {
      expect(files.has(s.signature)).toBe(true);
      expect(manifest.keys.some((k) => k.fingerprint === s.fingerprint)).toBe(true);
    }
    expect(manifest.patch.state).toBe("DEPLOYED");
    expect(report.checks.find((c) => c.check === "gates")?.message).toBe(
      "reviews 2/2, tests 2/2 by distinct people; state DEPLOYED",
    );
    const fastPath = report.checks.filter((c) => c.check === "fast-path");
    expect(fastPath.every((c) => c.ok)).toBe(true);
    expect(fastPath[0].message).toBe(
      `patch ${patch.number} is on emergency #${e.number}'s fast path: 8 option-1 statement(s)`,
    );
    expect(fastPath.slice(1).map((c) => c.message)).toEqual([
      `option1-patch of revision 1 by ${prep.email}`,
      `review-1 of revision 1 by ${t.a1.email}`,
      `test fail of revision 1 by ${t.t1.email}`,
      `option1-patch of revision 2 by ${t.dev.email}`,
      `review-1 of revision 2 by ${t.a1.email}`,
      `test pass of revision 2 by ${t.t1.email}`,
      `test pass of revision 2 by ${t.t2.email}`,
      `review-2 of revision 2 by ${t.a2.email}`,
    ]);
    expect(report.checks.find((c) => c.check === "people")?.ok).toBe(true);
    expect(utf8(files.get("VERIFY.md")!)).toContain(
      `for f in emergency/*.txt; do gpg --verify "$f.asc" "$f"; done`,
    );

    // `patchgate verify`, offline, against the portal key fetched from the portal.
    const file = path.join(work, dossier.fileName);
    writeFileSync(file, dossier.bytes);
    const key = path.join(work, "portal-key.asc");
    writeFileSync(key, (await portalPublicKey()).publicArmored);
    const run = await cliVerify([file, "--portal-key", key]);
    expect(run.stdout).toMatch(/dossier verified: \d+ checks passed/);
    expect(run.stdout).toMatch(
      /^ok +fast-path +emergency\/08-gate-review-2\.txt: review-2 of revision 2 by /m,
    );
    expect(run.code).toBe(0);
  }, 180_000);

  it("refuses the dossier with a gate statement removed, or one naming another diff, by name", async () => {
    const { patch } = await deployedFastPath();
    const { root, files } = await readDossier(
      (await buildDossier({ actor: t.t1, patchId: patch.id })).bytes,
    );
    const manifest = JSON.parse(utf8(files.get("manifest.json")!)) as TManifest;
    const review2 = manifest.fastPath!.statements.find((s) => s.gate === "review-2")!;

    // The 2nd review removed: one review and no request for a deployed patch.
    const removed = await reseal(files, (m) => {
      m.fastPath!.statements = m.fastPath!.statements.filter((s) => s.file !== review2.file);
      delete m.files[review2.file];
      delete m.files[review2.signature];
    });
    const r1 = await verifyDossier(removed, { root, anchor: await anchor() });
    expect(r1.ok).toBe(false);
    expect(r1.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        "reviews: recorded 2/2, the signed statements give 1/2",
        "the patch is DEPLOYED but only 1 of 2 distinct reviewers approved",
        "the patch is DEPLOYED without a signed request",
      ]),
    );

    // The 2nd assessor signs, with their own key, a gate naming another diff.
    const text = utf8(files.get(review2.file)!);
    const other = sha256Hex(diff("other"));
    const forged = text.replace(/^patch-sha256: [0-9a-f]{64}$/m, `patch-sha256: ${other}`);
    expect(forged).not.toBe(text);
    const out = new Map(files);
    out.set(review2.file, bytesOf(forged));
    out.set(review2.signature, bytesOf((await detachSign(t.a2.privateKey, forged)).trim() + "\n"));
    const r2 = await verifyDossier(await reseal(out, () => {}), { root, anchor: await anchor() });
    expect(r2.ok).toBe(false);
    expect(r2.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          check: "fast-path",
          subject: review2.file,
          message: `patch-sha256 ${other} is the SHA-256 of no revision in the dossier`,
        }),
        expect.objectContaining({
          message: "the patch is DEPLOYED without a signed request",
        }),
      ]),
    );
    // The preparer (the author) adds a 2nd review of their own, signed with their own key.
    const own = utf8(files.get(review2.file)!)
      .replace(`signer-account: ${t.a2.id}`, `signer-account: ${prep.id}`)
      .replace(`signer-email: ${t.a2.email}`, `signer-email: ${prep.email}`)
      .replace(`key-fingerprint: ${t.a2.fingerprint}`, `key-fingerprint: ${prep.fingerprint}`);
    const added = new Map(files);
    const ownFile = "emergency/09-gate-review-2.txt";
    added.set(ownFile, bytesOf(own));
    added.set(`${ownFile}.asc`, bytesOf((await detachSign(prep.privateKey, own)).trim() + "\n"));
    const r3 = await verifyDossier(
      await reseal(added, (m) => {
        m.fastPath!.statements.push({
          ...review2,
          id: "own",
          file: ownFile,
          signature: `${ownFile}.asc`,
          signer: { ...manifest.fastPath!.statements[0].signer },
          fingerprint: prep.fingerprint,
          key: `keys/${prep.fingerprint}.asc`,
        });
        m.files[ownFile] = "";
        m.files[`${ownFile}.asc`] = "";
      }),
      { root, anchor: await anchor() },
    );
    expect(r3.ok).toBe(false);
    expect(r3.problems).toEqual([
      expect.objectContaining({
        check: "people",
        message: `${ownFile}: the author or a preparer signed the review-2 gate of their own revision 2`,
      }),
    ]);

    // The signature itself is good: only the binding to the diff refuses it.
    expect(r2.checks).toContainEqual(
      expect.objectContaining({ check: "signature", subject: review2.file, ok: true }),
    );
  }, 120_000);
});
