import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../lib/db";
import { sha256Hex } from "../lib/crypto/hash";
import { resetDatabase } from "../test/reset";
import { makeToken } from "../test/factories";
import { detachSign, makeSigner, type TSigner } from "../test/signers";
import { startApiServer } from "../test/api-server";
import { ensureSystem } from "../prisma/seed/builders";
import { createUpdate } from "../lib/server/release-updates/create-update";
import { editUpdate } from "../lib/server/release-updates/edit-update";
import {
  issueUpdateStatement,
  recordUpdateSignoff,
} from "../lib/server/release-updates/update-statements";
import { portalPublicKey } from "../lib/server/portal-key/portal-key";

// `patchgate update list / show / evidence` over the API with a token (the real
// /api/v1 route handlers behind test/api-server.ts), and the evidence bundle they
// download checked by `patchgate verify`.

const BIN = fileURLToPath(new URL("../bin/patchgate.mjs", import.meta.url));
let workDir: string;
let api: Awaited<ReturnType<typeof startApiServer>>;
let dev: TSigner, r1: TSigner;
let env: Record<string, string>;
let draft: { id: string; number: number };
let submitted: { id: string; number: number };

type TRun = { code: number | null; stdout: string; stderr: string };

function cli(args: string[], extra: Record<string, string> = {}): Promise<TRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: workDir,
      env: { ...process.env, PATCHGATE_URL: "", PATCHGATE_TOKEN: "", ...extra },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

const FIELDS = {
  template: "sru",
  system: "ubuntu",
  packages: ["python-acme", "python-certbot"],
  version: "2.9.0",
  series: ["jammy", "noble"],
  bugId: "2047891",
};

async function act(who: TSigner, id: string, ask: Record<string, unknown>) {
  const { statement } = await issueUpdateStatement({ actor: who, id, ...ask });
  return recordUpdateSignoff({
    actor: who,
    id,
    statement,
    signature: await detachSign(who.privateKey, statement),
  });
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "patchgate-cli-release-updates-"));
  api = await startApiServer();
  await resetDatabase();
  [dev, r1] = await Promise.all([makeSigner(["DEVELOPER"]), makeSigner(["ASSESSOR"])]);
  env = { PATCHGATE_URL: api.url, PATCHGATE_TOKEN: await makeToken(r1) };
  await ensureSystem({ slug: "ubuntu", name: "Ubuntu" });
  await db.updateTemplate.create({
    data: { slug: "sru", name: "SRU", body: "[Impact]\n\nTODO\n\n[Major Changes]\n\nTODO\n" },
  });
  const d = await createUpdate({ actor: dev, ...FIELDS, title: "certbot 2.9.0 (draft)" });
  draft = { id: d.id, number: d.number };
  const s = await createUpdate({
    actor: dev,
    ...FIELDS,
    title: "certbot 2.9.0 for jammy and noble",
  });
  submitted = { id: s.id, number: s.number };
  await editUpdate({
    actor: dev,
    id: s.id,
    body: "[Impact]\n\nACME v1 ends.\n\n[Major Changes]\n\n- Flag removed; not backwards compatible.\n",
  });
  await act(dev, s.id, { kind: "update-submit" });
  await act(r1, s.id, { kind: "update-review", verdict: "approve" });
}, 60_000);
afterAll(async () => {
  await api.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe("patchgate update", () => {
  it("refuses to run without PATCHGATE_URL and PATCHGATE_TOKEN, saying so", async () => {
    const r = await cli(["update", "list"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /patchgate update works over the API only: set PATCHGATE_URL .* and PATCHGATE_TOKEN/,
    );
  });

  it("lists the records, newest first, with their TODOs and state", async () => {
    const r = await cli(["update", "list"], env);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^#${submitted.number}\\t${submitted.id}\\tSUBMITTED\\t`));
    expect(lines[1]).toMatch(
      new RegExp(`^#${draft.number}\\t${draft.id}\\tDRAFT\\t.*\\t2 TODOs\\t`),
    );
    const only = await cli(["update", "list", "--state", "draft"], env);
    expect(only.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("shows a record: title, state, tags, TODOs left, reviews", async () => {
    const d = await cli(["update", "show", draft.id], env);
    expect(d.stdout).toContain(`update #${draft.number} certbot 2.9.0 (draft)`);
    expect(d.stdout).toContain("state: DRAFT, never submitted");
    expect(d.stdout).toContain(
      "TODOs left: 2\n  Impact, line 3: TODO\n  Major Changes, line 7: TODO",
    );
    const s = await cli(["update", "show", submitted.id], env);
    expect(s.stdout).toContain("state: SUBMITTED, revision 1");
    expect(s.stdout).toContain("tags: none (tags come once the record is approved)");
    expect(s.stdout).toContain("TODOs left: none");
    expect(s.stdout).toContain("reviews: 1 (1 of 2 approvals)");
    expect(s.stdout).toContain(`  approve by ${r1.name} (${r1.fingerprint})`);
    expect(s.stdout).toContain("major change 1 (not backwards compatible): NOT acknowledged");
    const missing = await cli(["update", "show", "no-such-update"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: No such release update/);
  });

  it("downloads the evidence bundle, which patchgate verify checks", async () => {
    const file = path.join(workDir, "bundle.tar.gz");
    const r = await cli(["update", "evidence", submitted.id, "-o", file], env);
    expect(r.stderr).toBe("");
    const bytes = readFileSync(file);
    expect(r.stdout).toContain(
      `wrote ${bytes.length} bytes to ${file} (sha256 ${sha256Hex(bytes)})`,
    );
    const key = path.join(workDir, "portal.asc");
    writeFileSync(key, (await portalPublicKey()).publicArmored);
    const v = await cli(["verify", file, "--portal-key", key]);
    expect(v.stderr).toBe("");
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("tags: none (the record is not approved)");
    expect(v.stdout).toMatch(/dossier verified: \d+ checks passed/);
    // Without -o, the portal's file name.
    const named = await cli(["update", "evidence", submitted.id], env);
    expect(named.code).toBe(0);
    expect(existsSync(path.join(workDir, `update-${submitted.number}-evidence.tar.gz`))).toBe(true);
  });
});
