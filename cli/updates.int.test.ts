import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../lib/db";
import { sha256Hex } from "../lib/crypto/hash";
import { resetDatabase } from "../test/reset";
import { makePerson, makeToken } from "../test/factories";
import { startApiServer } from "../test/api-server";
import { makeCorpus, vendorPgpKey, type TCorpus } from "../test/update-corpus";

// `patchgate installation ...` and `patchgate package ...`: as the operator on
// the database, and over the API with a token (the real /api/v1 route handlers
// behind test/api-server.ts), as an admin and a host would run them.

const BIN = fileURLToPath(new URL("../bin/patchgate.mjs", import.meta.url));
let workDir: string;
let corpus: TCorpus;
let api: Awaited<ReturnType<typeof startApiServer>>;

type TRun = { code: number | null; stdout: string; stderr: string };

function cli(args: string[], env: Record<string, string> = {}): Promise<TRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: workDir,
      env: {
        ...process.env,
        PATCHGATE_URL: "",
        PATCHGATE_TOKEN: "",
        PATCHGATE_DEBUG: "",
        ...env,
      },
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

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "patchgate-cli-updates-"));
  corpus = await makeCorpus(path.join(workDir, "corpus"));
  api = await startApiServer();
}, 60_000);
afterAll(async () => {
  await api.close();
  rmSync(workDir, { recursive: true, force: true });
});
beforeEach(resetDatabase);

const addOs4x = (env?: Record<string, string>, extra: string[] = []) =>
  cli(
    [
      "installation",
      "add",
      "--slug",
      "os4x-prod",
      "--name",
      "OS4X production",
      "--product",
      "OS4X",
      "--mode",
      "manual",
      ...extra,
    ],
    env,
  );

describe("patchgate installation (operator, on the database)", () => {
  it("adds, trusts a certificate and a vendor key, sets the post-update event, shows JSON", async () => {
    const add = await addOs4x({}, ["--enterprise"]);
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(
      /^added installation os4x-prod \(manual, Enterprise\): OS4X production, OS4X$/m,
    );
    expect((await addOs4x()).code).toBe(1);

    const trust = await cli([
      "installation",
      "trust",
      "os4x-prod",
      "--certificate",
      corpus.cas.vendor.certPath,
    ]);
    expect(trust.stderr).toBe("");
    expect(trust.code).toBe(0);
    expect(trust.stdout).toMatch(/^trusted certificate CN=c-works software update CA, O=c-works/m);
    const again = await cli([
      "installation",
      "trust",
      "os4x-prod",
      "--certificate",
      corpus.cas.vendor.certPath,
    ]);
    expect(again.stdout).toMatch(/^already trusted certificate/m);

    const key = await vendorPgpKey("vendor");
    writeFileSync(path.join(workDir, "vendor.asc"), key.publicKey);
    const trustKey = await cli(["installation", "trust", "os4x-prod", "--pgp-key", "vendor.asc"]);
    expect(trustKey.code).toBe(0);
    expect(trustKey.stdout).toContain(`trusted vendor key ${key.fingerprint}`);

    const set = await cli([
      "installation",
      "set",
      "os4x-prod",
      "--post-update-url",
      "https://hooks.example.org/os4x",
      "--post-update-secret-env",
      "OS4X_HOOK_SECRET",
    ]);
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    const refused = await cli([
      "installation",
      "set",
      "os4x-prod",
      "--post-update-secret-env",
      "AUTH_SECRET",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/portal's own settings/);

    const show = await cli(["installation", "show", "os4x-prod"]);
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown).toMatchObject({
      slug: "os4x-prod",
      name: "OS4X production",
      product: "OS4X",
      mode: "manual",
      enterprise: true,
      postUpdateUrl: "https://hooks.example.org/os4x",
      postUpdateSecretEnv: "OS4X_HOOK_SECRET",
      certificates: [
        {
          subject: "CN=c-works software update CA, O=c-works",
          sha256: sha256Hex(corpus.cas.vendor.der),
          notAfter: corpus.cas.vendor.notAfter.toISOString(),
        },
      ],
      pgpKeys: [{ fingerprint: key.fingerprint }],
    });
    expect(await db.trustedCertificate.count()).toBe(1);
    const list = await cli(["installation", "list"]);
    expect(list.stdout).toMatch(
      /^os4x-prod\tmanual, Enterprise\tOS4X production\tcertificates until /m,
    );
  }, 300_000);

  it("refuses a file that is no certificate and a mode it does not know", async () => {
    await addOs4x();
    writeFileSync(path.join(workDir, "junk.cer"), "junk");
    const junk = await cli(["installation", "trust", "os4x-prod", "--certificate", "junk.cer"]);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^error: /);
    const missing = await cli(["installation", "trust", "os4x-prod", "--certificate", "nope.cer"]);
    expect(missing.stderr).toMatch(/nope\.cer: no such file/);
    const mode = await cli([
      "installation",
      "add",
      "--slug",
      "x",
      "--name",
      "X",
      "--product",
      "OS4X",
      "--mode",
      "sometimes",
    ]);
    expect(mode.code).toBe(1);
    expect(await db.trustedCertificate.count()).toBe(0);
  }, 180_000);
});

describe("patchgate over the API with a token", () => {
  it("adds and trusts as the token's owner, uploads, and fetches only verified content", async () => {
    const admin = await makePerson(["CRITICAL_ADMIN"]);
    const host = await makePerson(["ASSESSOR"]);
    const adminEnv = { PATCHGATE_URL: api.url, PATCHGATE_TOKEN: await makeToken(admin) };
    const hostEnv = { PATCHGATE_URL: api.url, PATCHGATE_TOKEN: await makeToken(host) };

    expect((await addOs4x(adminEnv)).code).toBe(0);
    const trust = await cli(
      ["installation", "trust", "os4x-prod", "--certificate", corpus.cas.oldVendor.certPath],
      adminEnv,
    );
    expect(trust.stderr).toBe("");
    expect(trust.stdout).toMatch(/^trusted certificate/m);
    const created = await db.auditEvent.findFirstOrThrow({
      where: { action: "installation.created" },
    });
    expect(created.actorId).toBe(admin.id);
    // The host may read but not change.
    expect((await addOs4x(hostEnv)).stderr).toMatch(/package:manage/);

    // Uploaded while the installation still trusts the vendor's previous CA: quarantined.
    const up = await cli(
      ["package", "upload", "os4x-prod", corpus.packages.validDer.path],
      adminEnv,
    );
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    const id = /^package (\S+): QUARANTINED$/m.exec(up.stdout)?.[1];
    expect(id, up.stdout).toBeTruthy();
    expect(up.stdout).toContain("probably not the current one");
    const row = await db.updatePackage.findUniqueOrThrow({ where: { id: id! } });
    expect(row.channel).toBe("API");

    const out = path.join(workDir, "os4x_update.sh");
    const refused = await cli(["package", "fetch", id!, "-o", out], hostEnv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`package ${id} is quarantined`);
    expect(refused.stderr).toContain("probably not the current one");
    expect(existsSync(out)).toBe(false);

    // The admin trusts the current certificate and re-verifies.
    await cli(
      ["installation", "trust", "os4x-prod", "--certificate", corpus.cas.vendor.certPath],
      adminEnv,
    );
    const verify = await cli(["package", "verify", id!], adminEnv);
    expect(verify.stderr).toBe("");
    expect(verify.stdout).toMatch(new RegExp(`^package ${id}: VERIFIED`, "m"));

    const fetched = await cli(["package", "fetch", id!, "-o", out], hostEnv);
    expect(fetched.stderr).toBe("");
    expect(fetched.code).toBe(0);
    expect(readFileSync(out)).toEqual(Buffer.from(corpus.content));
    expect(fetched.stdout).toContain(`sha256 ${sha256Hex(corpus.content)}`);

    const show = JSON.parse((await cli(["package", "show", id!], hostEnv)).stdout);
    expect(show.verdicts.map((v: { state: string }) => v.state)).toEqual([
      "QUARANTINED",
      "VERIFIED",
    ]);
    expect(show.update).toMatchObject({ mode: "manual", state: "IN_PROGRESS" });
  }, 300_000);

  it("uploads a file with a detached signature, and fetch needs a token", async () => {
    const admin = await makePerson(["ADMIN"]);
    const env = { PATCHGATE_URL: api.url, PATCHGATE_TOKEN: await makeToken(admin) };
    expect((await addOs4x(env)).code).toBe(0);
    const key = await vendorPgpKey("vendor");
    writeFileSync(path.join(workDir, "vendor.asc"), key.publicKey);
    expect(
      (await cli(["installation", "trust", "os4x-prod", "--pgp-key", "vendor.asc"], env)).code,
    ).toBe(0);
    const c = corpus.pgp.cases.detached;
    writeFileSync(path.join(workDir, "os4x.sh"), c.data);
    writeFileSync(path.join(workDir, "os4x.sh.sig"), c.signature!);
    const up = await cli(
      ["package", "upload", "os4x-prod", "os4x.sh", "--signature", "os4x.sh.sig"],
      env,
    );
    expect(up.stderr).toBe("");
    expect(up.stdout).toMatch(/^package \S+: VERIFIED/m);

    const id = (await db.updatePackage.findFirstOrThrow()).id;
    const noToken = await cli(["package", "fetch", id, "-o", "x"]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/PATCHGATE_URL/);
  }, 300_000);
});
