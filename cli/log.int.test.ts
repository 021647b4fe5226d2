import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../lib/db";
import { eventLeafHash } from "../lib/crypto/audit-leaf";
import { signCheckpoint } from "../lib/crypto/checkpoint";
import { nodeHash } from "../lib/crypto/merkle";
import { vkeyOf } from "../lib/crypto/signed-note";
import { readDossier } from "../lib/dossier/archive";
import { LOG_FILES } from "../lib/dossier/log-manifest";
import { buildDossier } from "../lib/server/dossier/build-dossier";
import { noteSigningKey, origin } from "../lib/server/log/log-key";
import { sweepCheckpointMail } from "../lib/server/log/mail-checkpoint";
import { submitPatch } from "../lib/server/patches/submit-patch";
import { portalPublicKey } from "../lib/server/portal-key/portal-key";
import { startApiServer } from "../test/api-server";
import { sampleDiff } from "../test/diffs";
import { addProcessSystems, makeTeam, PATCH_FIELDS, type TTeam } from "../test/process";
import { resetDatabase } from "../test/reset";
import { signoff } from "../test/signers";

// Issue #16 from outside the portal: `patchgate verify` checks a bundle's log
// proofs and compares its checkpoint with one from elsewhere; `patchgate log
// watch` follows the portal's checkpoints (the real /api/v1 route handlers
// behind test/api-server.ts) and raises the alarm on a fork or a rollback;
// stock GnuPG verifies a checkpoint with the portal key.

const BIN = fileURLToPath(new URL("../bin/patchgate.mjs", import.meta.url));
let work: string;
let api: Awaited<ReturnType<typeof startApiServer>>;

type TRun = { code: number | null; stdout: string; stderr: string };

/** The real CLI in a child process; without DATABASE_URL unless `withDb` (only `audit verify` needs it). */
function cli(args: string[], withDb = false): Promise<TRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATCHGATE_DEBUG: "" };
    if (!withDb) delete env.DATABASE_URL;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env });
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
  work = mkdtempSync(path.join(tmpdir(), "patchgate-log-cli-"));
  api = await startApiServer();
}, 60_000);
afterAll(async () => {
  await api.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDatabase();
  await addProcessSystems();
});

/** A patch submitted and reviewed once: its events are the log's latest leaves. */
async function reviewedPatch(t: TTeam) {
  const p = await submitPatch({
    actor: t.dev,
    system: "webdb",
    ...PATCH_FIELDS,
    diff: sampleDiff(),
  });
  await signoff(t.dev, p.id, "submit");
  await signoff(t.a1, p.id, "review", "approve");
  return p;
}

async function portalKeyFile(): Promise<string> {
  const file = path.join(work, "portal-key.asc");
  writeFileSync(file, (await portalPublicKey()).publicArmored);
  return file;
}

async function exported(t: TTeam, patchId: string): Promise<string> {
  const d = await buildDossier({ actor: t.t1, patchId });
  const file = path.join(work, d.fileName);
  writeFileSync(file, d.bytes);
  return file;
}

const get = async (p: string) => {
  const r = await fetch(`${api.url}/api/v1/log/${p}`);
  expect(r.status).toBe(200);
  return r.text();
};

// Each test runs the CLI several times (a process each, 2–5 s on a busy machine).
const CLI_TEST = { timeout: 120_000 };

describe("patchgate verify: the bundle's log proofs", CLI_TEST, () => {
  it("a dossier exported right after a sign-off verifies with proofs; a later checkpoint from the API is consistent with it by a proof from --portal", async () => {
    const t = await makeTeam();
    const p = await reviewedPatch(t);
    const file = await exported(t, p.id);
    const key = await portalKeyFile();

    const plain = await cli(["verify", file, "--portal-key", key]);
    expect(plain.stderr).toBe("");
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(
      /^ok {4}log +log\/checkpoint\.asc: good signature over log\/checkpoint by portal key /m,
    );
    expect(plain.stdout).toMatch(
      /^ok {4}log +log\/proofs\.json: all \d+ audit events are leaves of the checkpoint's tree/m,
    );

    // The log grows; a checkpoint fetched later, kept as the mail that carried it.
    await signoff(t.a2, p.id, "review", "approve");
    await signoff(t.t1, p.id, "test", "pass");
    const later = path.join(work, "checkpoint.eml");
    writeFileSync(
      later,
      `From: patchgate@example.org\r\nSubject: Patchgate log checkpoint\r\n\r\n${(await get("checkpoint")).replace(/\n/g, "\r\n")}`,
    );
    const run = await cli([
      "verify",
      file,
      "--portal-key",
      key,
      "--checkpoint",
      later,
      "--portal",
      api.url,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^ok {4}checkpoint +consistency: the bundle's checkpoint \(size (\d+)\) and .*checkpoint\.eml's \(size (\d+)\) are of one append-only log: consistency proof \d+ → \d+ fetched from http:\/\/127\.0\.0\.1:\d+$/m,
    );

    // Without --portal the proof has to be in the bundle: it is not, and verify says what to do.
    const offline = await cli(["verify", file, "--portal-key", key, "--checkpoint", later]);
    expect(offline.code).toBe(1);
    expect(offline.stdout).toMatch(/FAIL +checkpoint +consistency: .*pass --portal URL/);
  });

  it("--json: one JSON object on stdout with the verdict and every check, the same exit status", async () => {
    const t = await makeTeam();
    const p = await reviewedPatch(t);
    const file = await exported(t, p.id);
    const key = await portalKeyFile();

    const ok = await cli(["verify", file, "--portal-key", key, "--json"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({
      verified: true,
      file,
      format: "patchgate-evidence v1",
      anchored: true,
      problems: [],
    });
    expect(report.checks.length).toBeGreaterThan(5);
    expect(report.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ check: "trust", subject: "manifest.json.asc" }),
    );

    // Without a trust anchor nothing is proven: exit 1, and the JSON says why.
    const bare = await cli(["verify", file, "--json"]);
    expect(bare.code).toBe(1);
    expect(JSON.parse(bare.stdout)).toMatchObject({ verified: false, anchored: false });
    expect(JSON.parse(bare.stdout).problems.length).toBeGreaterThan(0);

    // A later checkpoint without the proof to compare it: the bundle verified, the checkpoint did not.
    await signoff(t.a2, p.id, "review", "approve");
    const later = path.join(work, "checkpoint-json.txt");
    writeFileSync(later, await get("checkpoint"));
    const cp = await cli(["verify", file, "--portal-key", key, "--checkpoint", later, "--json"]);
    expect(cp.code).toBe(1);
    expect(JSON.parse(cp.stdout)).toMatchObject({
      verified: false,
      checkpoint: { file: later, consistent: false },
    });

    // A file that cannot be read: the error in the client commands' shape.
    const missing = await cli(["verify", path.join(work, "nothing.tar.gz"), "--json"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: "FAILED", message: expect.stringMatching(/cannot read .*ENOENT/), exit: 1 },
    });
  });

  it("a bundle carries the consistency proof from the last checkpoint mailed to the lists, so that mail verifies against it without --portal", async () => {
    const t = await makeTeam();
    await db.targetSystem.updateMany({ data: { systemLogAddress: "webdb-log@lists.example.org" } });
    const p = await reviewedPatch(t);
    // The day's checkpoint mail, sent by the worker; the list archive keeps its note.
    const queued = await sweepCheckpointMail(new Date("2026-12-03T06:00:00Z"));
    expect(queued).not.toBeNull();
    await db.outbox.update({
      where: { id: queued!.outboxId },
      data: { state: "DONE", doneAt: new Date() },
    });
    const mailed = await db.checkpoint.findUniqueOrThrow({
      where: { treeSize: BigInt(queued!.treeSize) },
    });
    const mail = path.join(work, "list-archive.eml");
    writeFileSync(
      mail,
      `From: patchgate@example.org\r\nSubject: Patchgate log checkpoint\r\n\r\n${mailed.note.replace(/\n/g, "\r\n")}`,
    );

    // The log grows past the mailed checkpoint; the dossier exported now carries the proof.
    await signoff(t.a2, p.id, "review", "approve");
    const file = await exported(t, p.id);
    const carried = JSON.parse(
      Buffer.from(
        (await readDossier(readFileSync(file))).files.get(LOG_FILES.consistency)!,
      ).toString(),
    );
    expect(carried.from).toBe(queued!.treeSize);
    expect(carried.to).toBeGreaterThan(queued!.treeSize);

    const run = await cli([
      "verify",
      file,
      "--portal-key",
      await portalKeyFile(),
      "--checkpoint",
      mail,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^ok {4}checkpoint +consistency: the bundle's checkpoint \\(size ${carried.to}\\) and .*list-archive\\.eml's \\(size ${carried.from}\\) are of one append-only log: consistency proof ${carried.from} → ${carried.to} carried in the bundle's log/consistency\\.json$`,
        "m",
      ),
    );
  });

  it("stock GnuPG verifies the bundle's checkpoint with the portal key", async () => {
    const t = await makeTeam();
    const p = await reviewedPatch(t);
    const { files } = await readDossier(readFileSync(await exported(t, p.id)));
    const dir = path.join(work, "gpg-check");
    mkdirSync(dir, { recursive: true });
    const home = mkdtempSync(path.join(tmpdir(), "patchgate-gnupghome-"));
    try {
      writeFileSync(path.join(dir, "checkpoint"), files.get(LOG_FILES.checkpoint)!);
      writeFileSync(path.join(dir, "checkpoint.asc"), files.get(LOG_FILES.signature)!);
      writeFileSync(path.join(dir, "portal-key.asc"), files.get("portal-key.asc")!);
      const gpg = (args: string[]) =>
        spawnSync("gpg", ["--batch", ...args], {
          cwd: dir,
          encoding: "utf8",
          env: { ...process.env, GNUPGHOME: home },
        });
      expect(gpg(["--import", "portal-key.asc"]).status).toBe(0);
      const verified = gpg(["--verify", "checkpoint.asc", "checkpoint"]);
      expect(verified.stderr).toMatch(/Good signature from "Patchgate/);
      expect(verified.status).toBe(0);
      // One changed byte, and gpg refuses it.
      writeFileSync(
        path.join(dir, "checkpoint"),
        readFileSync(path.join(dir, "checkpoint"), "utf8").replace(
          /\n(\d+)\n/,
          (_, n: string) => `\n${Number(n) + 1}\n`,
        ),
      );
      const bad = gpg(["--verify", "checkpoint.asc", "checkpoint"]);
      expect(bad.stderr).toMatch(/BAD signature/);
      expect(bad.status).not.toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/** Rewrites a stored tree node's hash (the leaf and each complete subtree above it), as someone with the database would. */
async function rewriteLeaf(index: number, leaf: Uint8Array) {
  await db.$executeRaw`UPDATE "LogNode" SET hash = ${Buffer.from(leaf)} WHERE level = 0 AND index = ${BigInt(index)}`;
  for (let level = 1; level < 40; level++) {
    const at = BigInt(index >> level);
    const children = await db.logNode.findMany({
      where: { level: level - 1, index: { in: [at * 2n, at * 2n + 1n] } },
      orderBy: { index: "asc" },
    });
    const parent = await db.logNode.findUnique({ where: { level_index: { level, index: at } } });
    if (!parent || children.length !== 2) return;
    await db.logNode.update({
      where: { level_index: { level, index: at } },
      data: { hash: new Uint8Array(nodeHash(children[0].hash, children[1].hash)) },
    });
  }
}

describe("patchgate log watch", CLI_TEST, () => {
  it("keeps the first checkpoint (mode 0600), follows the log's growth; a FORK (an event and its tree nodes rewritten in the database) exits 2, a dossier exported before it no longer matches the portal's checkpoint, and audit verify names the event", async () => {
    const t = await makeTeam();
    const p = await reviewedPatch(t);
    const state = path.join(work, "watch-fork.json");
    rmSync(state, { force: true });

    const first = await cli(["log", "watch", "--portal", api.url, "--state", state]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^log ok: http:\/\/127\.0\.0\.1:\d+: first checkpoint kept: tree size \d+, root \S+ \(key .*\+[0-9a-f]{8} pinned on first use\)\n$/,
    );
    expect(statSync(state).mode & 0o777).toBe(0o600);
    const kept = JSON.parse(readFileSync(state, "utf8")) as { size: number; vkey: string };
    expect(kept.vkey).toBe((await get("key")).trim());

    await signoff(t.a2, p.id, "review", "approve");
    const grown = await cli(["log", "watch", "--portal", api.url, "--state", state, "--json"]);
    expect(grown.code).toBe(0);
    const json = JSON.parse(grown.stdout) as {
      ok: boolean;
      kind: string;
      size: number;
      keptSize: number;
    };
    expect(json).toMatchObject({ ok: true, kind: "grown", keptSize: kept.size });
    expect(json.size).toBeGreaterThan(kept.size);
    expect(grown.stdout.trim().split("\n")).toHaveLength(1);

    // A dossier exported before the rewrite; the monitor's state file is a checkpoint to compare it with.
    const bundle = await exported(t, p.id);
    const key = await portalKeyFile();
    const before = await cli(["verify", bundle, "--portal-key", key, "--checkpoint", state]);
    expect(before.stderr).toBe("");
    expect(before.code).toBe(0);

    // Someone with the database rewrites event 3's payload, and its leaf and nodes to match.
    const seq = 3n;
    await db.$transaction([
      db.$executeRawUnsafe("SET LOCAL session_replication_role = replica"),
      db.$executeRaw`UPDATE "AuditEvent" SET payload = '{"rewritten":true}'::jsonb WHERE seq = ${seq}`,
    ]);
    const edited = await db.auditEvent.findUniqueOrThrow({ where: { seq } });
    await rewriteLeaf(Number(seq) - 1, eventLeafHash(edited));
    await signoff(t.t1, p.id, "test", "pass");

    const forked = await cli(["log", "watch", "--portal", api.url, "--state", state]);
    expect(forked.code).toBe(2);
    expect(forked.stdout).toBe("");
    expect(forked.stderr).toMatch(
      /^log ALARM: http:\/\/127\.0\.0\.1:\d+: FORK: the consistency proof from size \d+ to \d+ does not verify/,
    );
    // The kept checkpoint stays: the next run raises the alarm again.
    expect((JSON.parse(readFileSync(state, "utf8")) as { size: number }).size).toBe(json.size);

    // The dossier against the portal's checkpoint now: no consistency proof joins them.
    writeFileSync(path.join(work, "after-fork.txt"), await get("checkpoint"));
    const after = await cli([
      "verify",
      bundle,
      "--portal-key",
      key,
      "--checkpoint",
      "after-fork.txt",
      "--portal",
      api.url,
    ]);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(
      /^FAIL +checkpoint +consistency: .*does not verify: .*the log forked$/m,
    );
    expect(after.stderr).toMatch(/^checkpoint NOT consistent with the bundle's: 1 problem/m);

    const audit = await cli(["audit", "verify"], true);
    expect(audit.code).toBe(1);
    expect(audit.stderr).toMatch(/^audit chain BROKEN at seq 3: content does not match its hash/);
  });

  it("ROLLBACK: a state file that kept a bigger tree than the portal now serves exits 2", async () => {
    const t = await makeTeam();
    await reviewedPatch(t);
    const state = path.join(work, "watch-rollback.json");
    rmSync(state, { force: true });
    expect((await cli(["log", "watch", "--portal", api.url, "--state", state])).code).toBe(0);
    const kept = JSON.parse(readFileSync(state, "utf8")) as {
      size: number;
      checkpoint: string;
      rootHash: string;
    };
    // The checkpoint the watcher saw before the portal's log lost its last entries: signed by the log's key.
    const bigger = kept.size + 5;
    const rootHash = new Uint8Array(32).fill(7);
    const note = signCheckpoint(
      { origin: await origin(), treeSize: bigger, rootHash },
      await noteSigningKey(),
    );
    writeFileSync(
      state,
      JSON.stringify({
        ...JSON.parse(readFileSync(state, "utf8")),
        checkpoint: note,
        size: bigger,
        rootHash: Buffer.from(rootHash).toString("base64"),
      }),
    );
    const run = await cli(["log", "watch", "--portal", api.url, "--state", state, "--json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      kind: "rollback",
      keptSize: bigger,
      size: kept.size,
    });
    expect(JSON.parse(run.stdout).message).toMatch(
      /^ROLLBACK: .*tree size \d+, smaller than the \d+ already seen/,
    );
  });

  it("refuses a checkpoint not signed by the pinned key, and a state file of another portal", async () => {
    const t = await makeTeam();
    await reviewedPatch(t);
    const state = path.join(work, "watch-key.json");
    rmSync(state, { force: true });
    const other = path.join(work, "other.vkey");
    writeFileSync(other, vkeyOf(await origin(), generateKeyPairSync("ed25519").publicKey) + "\n");
    const badKey = await cli([
      "log",
      "watch",
      "--portal",
      api.url,
      "--state",
      state,
      "--key",
      other,
    ]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/^log ALARM: .*does not verify with the key/);
    expect(() => statSync(state)).toThrow();
    expect((await cli(["log", "watch", "--portal", api.url, "--state", state])).code).toBe(0);
    const elsewhere = await cli([
      "log",
      "watch",
      "--portal",
      "https://other.example.org",
      "--state",
      state,
    ]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(
      /^log NOT checked: .*watches http:\/\/127\.0\.0\.1:\d+, not https:\/\/other\.example\.org/,
    );
  });
});
