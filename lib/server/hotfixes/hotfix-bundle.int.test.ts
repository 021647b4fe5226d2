import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, type TSigner } from "../../../test/signers";
import { hotfixArchive, sha256 } from "../../../test/hotfix-archives";
import { packDossier, readDossier } from "../../dossier/archive";
import { verifyHotfixBundle } from "../../dossier/verify-hotfix-bundle";
import { portalPublicKey } from "../portal-key/portal-key";
import { addServer } from "./servers";
import { uploadHotfix } from "./upload-hotfix";
import { issueHotfixStatement, recordHotfixSignoff } from "./hotfix-statements";
import { reportApplication } from "./applications";
import { buildHotfixBundle } from "./build-hotfix-bundle";

const NAME = "hotfix_common_fix_tags_and_stats";
let bundle: Awaited<ReturnType<typeof buildHotfixBundle>>;
let uploader: TSigner;

async function sign(signer: TSigner, q: Omit<Parameters<typeof issueHotfixStatement>[0], "actor">) {
  const { statement } = await issueHotfixStatement({ actor: signer, ...q });
  await recordHotfixSignoff({
    actor: signer,
    name: q.name,
    statement,
    signature: await detachSign(signer.privateKey, statement),
  });
}

const anchor = async () => ({ portalKey: (await portalPublicKey()).publicArmored });

beforeAll(async () => {
  await resetDatabase();
  uploader = await makeSigner(["CRITICAL_ADMIN"]);
  const releaser = await makeSigner(["ASSESSOR"]);
  await addServer({
    actor: uploader,
    slug: "km-fe1",
    role: "frontend",
    product: "sshmgr",
    version: "3.0.0",
  });
  await uploadHotfix({
    actor: uploader,
    fileName: `sshmgr-3.0.0-${NAME}_UKM-1291.gz`,
    bytes: await hotfixArchive({ "api/v2/operations.pyc": ["old", "new"] }),
  });
  await sign(releaser, { name: NAME, kind: "hotfix-release" });
  await reportApplication({
    actor: uploader,
    name: NAME,
    server: "km-fe1",
    outcome: "APPLIED",
    restartCommand: "supervisorctl restart all",
    restartExit: 0,
    files: { "api/v2/operations.pyc": sha256("new") },
  });
  await sign(uploader, { name: NAME, kind: "hotfix-verify", server: "km-fe1", direct: true });
  bundle = await buildHotfixBundle({ actor: uploader, name: NAME });
}, 120_000);

describe("a hotfix's evidence bundle", () => {
  it("verifies offline with the portal key, its release and verification signed", async () => {
    const { root, files } = await readDossier(bundle.bytes);
    expect(root).toBe(NAME);
    const report = await verifyHotfixBundle(files, { root, anchor: await anchor() });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.manifest?.statements.map((s) => s.kind)).toEqual([
      "hotfix-release",
      "hotfix-verify",
    ]);
  });

  it("proves nothing without an anchor", async () => {
    const { root, files } = await readDossier(bundle.bytes);
    const report = await verifyHotfixBundle(files, { root, anchor: null });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message).join()).toMatch(/no trust anchor/);
  });

  it("refuses a swapped hotfix file", async () => {
    const { root, files } = await readDossier(bundle.bytes);
    const file = [...files.keys()].find((f) => f.startsWith("hotfix/"))!;
    const forged = new Map(files).set(
      file,
      await hotfixArchive({ "api/v2/operations.pyc": ["old", "evil"] }),
    );
    const report = await verifyHotfixBundle(forged, { root, anchor: await anchor() });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message).join("\n")).toMatch(
      /is not the manifest's|is not the hotfix's/,
    );
  });

  it("is checked by `patchgate verify` like a patch's dossier", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hotfix-bundle-"));
    const file = path.join(dir, bundle.fileName);
    const key = path.join(dir, "portal.asc");
    writeFileSync(file, bundle.bytes);
    writeFileSync(key, (await portalPublicKey()).publicArmored);
    const out = execFileSync(
      process.execPath,
      ["bin/patchgate.mjs", "verify", file, "--portal-key", key],
      {
        encoding: "utf8",
      },
    );
    expect(out).toMatch(/dossier verified: \d+ checks passed/);
    // Repacked by someone else with a changed applications record: the manifest no longer vouches for it.
    const { root, files } = await readDossier(bundle.bytes);
    files.set("applications.json", new TextEncoder().encode("[]\n"));
    writeFileSync(file, await packDossier(root, files, new Date()));
    expect(() =>
      execFileSync(process.execPath, ["bin/patchgate.mjs", "verify", file, "--portal-key", key], {
        encoding: "utf8",
        stdio: "pipe",
      }),
    ).toThrow(/applications.json/);
  });
});
