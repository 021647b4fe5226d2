import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../../test/reset";
import { signoff, type TSigner } from "../../../test/signers";
import { makePerson, makeToken } from "../../../test/factories";
import { sampleDiff } from "../../../test/diffs";
import { gpgHome } from "../../../peers/gpg";
import { submitPatch } from "../patches/submit-patch";
import { recordSignoff } from "../patches/record-signoff";
import { issueStatement } from "../statements/issue-statement";
import { openDeployment } from "../deployments/open-deployment";
import { decideStep, tickStep } from "../../../test/steps";
import { readDossier, packDossier } from "../../dossier/archive";
import { checksumsText } from "../../dossier/layout";
import { sealDossier } from "../../dossier/portal-seal";
import { portalPublicKey, portalSigningKey } from "../portal-key/portal-key";
import { sha256Hex } from "../../crypto/hash";
import { verifyDossier } from "../../dossier/verify-dossier";
import { buildDossier } from "./build-dossier";
import { leafOfEvent } from "../../crypto/audit-leaf";
import { leafHash, verifyInclusion } from "../../crypto/merkle";
import { addProcessSystems, makeTeam, visitRecorded, type TTeam } from "../../../test/process";
import { GET as apiGet } from "../../../app/api/v1/patches/[id]/evidence/route";
import { signTheNotification } from "../../../test/workers/deployment";

const BIN = fileURLToPath(new URL("../../../bin/patchgate.mjs", import.meta.url));

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "patchgate-evidence-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeEach(async () => {
  await resetDatabase();
  await addProcessSystems();
});

/** The reader's trust anchor: the portal key as GET /api/portal-key serves it, never the dossier's. */
async function trusted() {
  return { portalKey: (await portalPublicKey()).publicArmored };
}

/** The portal key saved where a reader keeps it, for `--portal-key`. */
async function portalKeyFile(): Promise<string> {
  const file = path.join(work, "portal-key.asc");
  writeFileSync(file, (await portalPublicKey()).publicArmored);
  return file;
}

/** The real CLI, offline: no DATABASE_URL in its environment. `args` carry the anchor. */
function cliVerify(
  file: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATCHGATE_DEBUG: "" };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [BIN, "verify", file, ...args], { cwd: work, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Signs a statement with stock GnuPG, as a reviewer at a terminal would. */
function gpgSign(gpg: ReturnType<typeof gpgHome>, signer: TSigner, statement: string): string {
  const file = path.join(gpg.home, "statement.txt");
  writeFileSync(file, statement);
  gpg.gpg(["--import"], signer.privateKey);
  gpg.gpg([
    "--armor",
    "--detach-sign",
    "--local-user",
    signer.fingerprint,
    "--output",
    `${file}.asc`,
    file,
  ]);
  return readFileSync(`${file}.asc`, "utf8");
}

/** The full webdb path, with assessor a1's review signed by gpg instead of openpgp.js. */
async function deployedPatch(t: TTeam) {
  const p = await submitPatch({
    actor: t.dev,
    system: "webdb",
    title: "Fix domain listing",
    summary: "Revoked server certs were hidden.",
    bugId: "1234",
    bugSummary: "If I delete Domains, no Servercerts are listed",
    diff: sampleDiff(),
  });
  await signoff(t.dev, p.id, "submit");
  const signer = gpgHome();
  try {
    const { statement } = await issueStatement({
      actor: t.a1,
      patchId: p.id,
      kind: "review",
      verdict: "approve",
      comment: "Read every line.\nSigned with GnuPG.",
      lineComments: [
        { file: "www/account.php", line: 11, text: "Check $res before use.\nAnd log it." },
      ],
    });
    const accepted = await recordSignoff({
      actor: t.a1,
      statement,
      signature: gpgSign(signer, t.a1, statement),
    });
    expect(accepted).toMatchObject({
      kind: "REVIEW",
      verdict: "APPROVE",
      fingerprint: t.a1.fingerprint,
    });
  } finally {
    signer.cleanup();
  }
  await signoff(t.a2, p.id, "review", "approve");
  await signoff(t.t1, p.id, "test", "pass", "Tested on test1.");
  await signoff(t.t2, p.id, "test", "pass");
  await signoff(t.a3, p.id, "request");
  await openDeployment({ actor: t.ca1, patchId: p.id });
  const steps: [number, Record<string, unknown>][] = [
    [1, {}],
    [2, {}],
    [3, { checksumMatched: true }],
    [4, { assessment: "Low risk", webServerStopped: false }],
    [5, { output: "patching file www/account.php", result: "clean" }],
    [6, { commitMessage: "Fix for bug #1234" }],
    [7, { tarball: "cacert-2026-11-25.tar.gz", tarballSha256: "c".repeat(64) }],
    [8, {}],
    [9, {}],
  ];
  for (const [number, evidence] of steps)
    await tickStep({ actor: t.ca1, patchId: p.id, number, evidence });
  // P7: the critical admin signs the notification's MIME part; the dossier carries both.
  await signTheNotification(t.ca1, p.id);
  return p;
}

function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[at] ^= 0x01;
  return copy;
}

describe("the dossier", () => {
  it("exports a deployed patch that stock GnuPG, sha256sum and `patchgate verify` all accept", async () => {
    const t = await makeTeam();
    const p = await deployedPatch(t);

    const started = performance.now();
    const dossier = await buildDossier({ actor: t.t1, patchId: p.id });
    const exportMs = performance.now() - started;
    expect(dossier.fileName).toBe(`patch-${p.number}-evidence.tar.gz`);
    const file = path.join(work, dossier.fileName);
    writeFileSync(file, dossier.bytes);

    // Unpacked with GNU tar, as a reader would.
    const out = path.join(work, "unpacked");
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    execFileSync("tar", ["xzf", file, "-C", out]);
    const dir = path.join(out, `patch-${p.number}`);
    const statements = readdirSync(path.join(dir, "statements"))
      .filter((f) => f.endsWith(".txt"))
      .sort();
    expect(statements).toEqual([
      "01-submit-submit-r1.txt",
      "02-review-approve-r1.txt",
      "03-review-approve-r1.txt",
      "04-test-pass-r1.txt",
      "05-test-pass-r1.txt",
      "06-request-request-r1.txt",
      // X1: every tick by hand is a signed statement, named by its step.
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map(
        (n) => `${String(6 + n).padStart(2, "0")}-step${n}-done-r1.txt`,
      ),
    ]);
    expect(readdirSync(path.join(dir, "keys"))).toHaveLength(7);
    expect(readdirSync(dir).sort()).toEqual([
      "SHA256SUMS",
      "VERIFY.md",
      "audit",
      "deployment.json",
      "keys",
      "log",
      "manifest.json",
      "manifest.json.asc",
      "notifications",
      "portal-key.asc",
      "revisions",
      "statements",
    ]);
    // Issue #16: the checkpoint covering the patch's events and their inclusion proofs.
    expect(readdirSync(path.join(dir, "log")).sort()).toEqual([
      "checkpoint",
      "checkpoint.asc",
      "note-key",
      "proofs.json",
    ]);
    // One proof per event, in the events file's order, each leading from the event's own
    // leaf to the checkpoint's root; the export forced a checkpoint that covers them all.
    const manifestLog = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")).log;
    const proofs = JSON.parse(readFileSync(path.join(dir, "log", "proofs.json"), "utf8"));
    const lines = readFileSync(path.join(dir, "audit", "events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(manifestLog).toMatchObject({ checkpoint: "log/checkpoint", treeSize: proofs.treeSize });
    expect(proofs.events.map((e: { seq: string }) => e.seq)).toEqual(lines.map((l) => l.seq));
    const root = new Uint8Array(Buffer.from(proofs.rootHash, "base64"));
    for (const [i, e] of proofs.events.entries()) {
      const leaf = leafHash(
        leafOfEvent({ ...lines[i], seq: BigInt(lines[i].seq), at: new Date(lines[i].at) }),
      );
      expect(Buffer.from(leaf).toString("base64")).toBe(e.leafHash);
      const path_ = e.proof.map((h: string) => new Uint8Array(Buffer.from(h, "base64")));
      expect(verifyInclusion(leaf, e.leafIndex, proofs.treeSize, path_, root)).toBe(true);
    }
    const notifications = readdirSync(path.join(dir, "notifications")).sort();
    expect(notifications).toEqual([
      expect.stringMatching(/\.part$/),
      expect.stringMatching(/\.part\.asc$/),
    ]);
    const part = path.join(dir, "notifications", notifications[0]);
    // The exact MIME part the admin signed: CRLF line ends kept.
    expect(readFileSync(part, "latin1")).toContain("\r\n");
    expect(readFileSync(path.join(dir, "VERIFY.md"), "utf8")).toContain(
      `gpg --verify notifications/${notifications[1]} notifications/${notifications[0]}`,
    );

    // VERIFY.md's stock steps, with the portal key fetched from the portal, not from the dossier.
    const gpg = gpgHome();
    try {
      gpg.gpg(["--import"], (await portalPublicKey()).publicArmored);
      const sealed = gpg.gpg([
        "--status-fd",
        "1",
        "--verify",
        path.join(dir, "manifest.json.asc"),
        path.join(dir, "manifest.json"),
      ]);
      expect(sealed).toMatch(
        new RegExp(`\\[GNUPG:\\] VALIDSIG ${(await portalPublicKey()).fingerprint} `),
      );
      execFileSync(
        "bash",
        [
          "-c",
          `grep -F "\\"SHA256SUMS\\": \\"$(sha256sum SHA256SUMS | cut -c1-64)\\"" manifest.json`,
        ],
        { cwd: dir },
      );
      execFileSync("sha256sum", ["--quiet", "-c", "SHA256SUMS"], { cwd: dir });

      for (const key of readdirSync(path.join(dir, "keys")))
        gpg.gpg(["--import", path.join(dir, "keys", key)]);
      for (const f of statements) {
        const status = gpg.gpg([
          "--status-fd",
          "1",
          "--verify",
          path.join(dir, "statements", `${f}.asc`),
          path.join(dir, "statements", f),
        ]);
        expect(status, f).toMatch(/\[GNUPG:\] GOODSIG /);
        expect(status, f).toMatch(/\[GNUPG:\] VALIDSIG /);
      }
      const status = gpg.gpg(["--status-fd", "1", "--verify", `${part}.asc`, part]);
      expect(status).toMatch(new RegExp(`\\[GNUPG:\\] VALIDSIG ${t.ca1.fingerprint} `));
    } finally {
      gpg.cleanup();
    }

    const verifyStarted = performance.now();
    const report = await verifyDossier((await readDossier(dossier.bytes)).files, {
      root: `patch-${p.number}`,
      anchor: await trusted(),
    });
    const verifyMs = performance.now() - verifyStarted;
    expect(report.problems).toEqual([]);
    expect(report.checks.filter((c) => c.check === "signature")).toHaveLength(15);
    expect(report.checks.filter((c) => c.check === "notification")).toEqual([
      expect.objectContaining({ ok: true, message: expect.stringMatching(/^good signature by /) }),
    ]);
    expect(report.checks.find((c) => c.check === "steps")?.message).toMatch(
      /9 tick\(s\) by hand, each a signed statement in order by an allowed critical admin/,
    );
    // The gpg-signed review carries a line comment; the verifier reads it against the diff.
    expect(readFileSync(path.join(dir, "statements", "02-review-approve-r1.txt"), "utf8")).toMatch(
      /^line-comment-1: \{"file":"www\/account\.php","line":11,/m,
    );
    expect(report.checks.filter((c) => c.check === "line-comments")).toHaveLength(1);

    const cliStarted = performance.now();
    const run = await cliVerify(file, ["--portal-key", await portalKeyFile()]);
    const cliMs = performance.now() - cliStarted;
    expect(run.stdout).toMatch(
      /^ok {4}trust +manifest\.json\.asc: good signature over manifest\.json by portal key/m,
    );
    const byFingerprint = await cliVerify(file, [
      "--portal-fingerprint",
      (await portalPublicKey()).fingerprint.replace(/(.{4})/g, "$1 ").trim(),
    ]);
    expect(byFingerprint.code).toBe(0);
    const bare = await cliVerify(file, []);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/no trust anchor: nothing in this dossier is proven without one/);
    expect(bare.stderr).toMatch(/pass --portal-key FILE or --portal-fingerprint FPR/);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^ok {4}gates +revision 1: reviews 2\/2, tests 2\/2 by distinct people; state DEPLOYED$/m,
    );
    expect(run.stdout).toMatch(/dossier verified: \d+ checks passed/);
    expect(run.stdout).toMatch(/line-comments .*1 line comment on lines of revisions\/r1\.diff/);
    console.info(
      `dossier: ${dossier.bytes.length} bytes, ${dossier.fileCount} files; export ${exportMs.toFixed(0)} ms, verify in-process ${verifyMs.toFixed(0)} ms, CLI verify ${cliMs.toFixed(0)} ms`,
    );
  }, 120_000);

  it("catches one flipped byte in every kind of file, naming the problem, and the CLI exits 1", async () => {
    const t = await makeTeam();
    const p = await deployedPatch(t);
    const dossier = await buildDossier({ actor: t.dev, patchId: p.id });
    const { root, files } = await readDossier(dossier.bytes);
    const name = (prefix: string) => [...files.keys()].find((n) => n.startsWith(prefix))!;
    // Each case: the file, where to flip, and what the substantive check must say beyond the hash mismatch.
    const cases: [string, (n: number) => number, RegExp][] = [
      [
        "revisions/r1.diff",
        (n) => Math.floor(n / 2),
        /diff-sha256 .* is not the SHA-256 of revisions\/r1\.diff/,
      ],
      [name("statements/02-review"), (n) => n - 3, /statement|signature does not match/],
      [name("statements/03-review") + ".asc", (n) => Math.floor(n / 2), /signature/i],
      [name("keys/"), (n) => Math.floor(n / 2), /key|signature/i],
      [
        "manifest.json",
        (n) => Buffer.from(files.get("manifest.json")!).indexOf("Fix domain") + 4 || n,
        /not a good signature over manifest\.json by the portal key/,
      ],
      ["manifest.json.asc", (n) => n - 40, /not a good signature over manifest\.json/],
      ["portal-key.asc", (n) => Math.floor(n / 2), /SHA-256/],
      ["audit/events.jsonl", (n) => Math.floor(n / 2), /hash|audit event/],
      ["deployment.json", (n) => Math.floor(n / 2), /SHA-256/],
      [
        name("notifications/"),
        (n) => Math.floor(n / 2),
        /notification's signature does not verify/,
      ],
      ["SHA256SUMS", () => 5, /SHA256SUMS: SHA-256 [0-9a-f]{64} is not the manifest's/],
    ];
    for (const [file, where, substantive] of cases) {
      const original = files.get(file)!;
      expect(original, file).toBeDefined();
      const tampered = new Map(files);
      tampered.set(file, flipByte(original, where(original.length)));
      const report = await verifyDossier(tampered, { root, anchor: await trusted() });
      expect(report.ok, file).toBe(false);
      const text = report.problems.map((c) => `${c.subject}: ${c.message}`).join("\n");
      expect(text, file).toMatch(substantive);
      expect(text, file).toContain(file);

      const gz = path.join(work, "tampered.tar.gz");
      writeFileSync(gz, await packDossier(root, tampered, new Date()));
      const run = await cliVerify(gz, ["--portal-key", await portalKeyFile()]);
      expect(run.code, file).toBe(1);
      expect(run.stderr, file).toMatch(/dossier NOT verified: \d+ problem/);
      expect(run.stderr, file).toContain(file);
    }

    // An added file and a removed one are caught too.
    const extra = new Map(files).set(
      "statements/99-review-approve-r1.txt",
      new TextEncoder().encode("x"),
    );
    expect(
      (await verifyDossier(extra, { root, anchor: await trusted() })).problems.map(
        (c) => c.message,
      ),
    ).toContain("is not listed in the manifest");
    const missing = new Map(files);
    missing.delete(name("statements/04-test"));
    expect((await verifyDossier(missing, { root, anchor: await trusted() })).ok).toBe(false);
  }, 180_000);

  it("catches a step statement that disagrees with deployment.json, a tick out of order, and an unsigned tick, though every hash is resealed", async () => {
    const t = await makeTeam();
    const p = await deployedPatch(t);
    const { root, files } = await readDossier(
      (await buildDossier({ actor: t.dev, patchId: p.id })).bytes,
    );
    const json = (name: string) => JSON.parse(new TextDecoder().decode(files.get(name)!));
    // A dishonest portal that edits the JSON, recomputes every hash and signs again with its
    // own key: only the people's signed statements can tell.
    const resealed = async (out: Map<string, Uint8Array>, manifest: ReturnType<typeof json>) => {
      const sums = new TextEncoder().encode(checksumsText(out));
      out.set("SHA256SUMS", sums);
      manifest.files.SHA256SUMS = sha256Hex(sums);
      out.set("manifest.json", new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"));
      return sealDossier(out, await portalSigningKey(), new Date());
    };
    const reseal = (edits: Record<string, unknown>) => {
      const out = new Map(files);
      const manifest = (edits["manifest.json"] as ReturnType<typeof json>) ?? json("manifest.json");
      for (const [name, value] of Object.entries(edits)) {
        if (name === "manifest.json") continue;
        const bytes = new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n");
        out.set(name, bytes);
        manifest.files[name] = sha256Hex(bytes);
      }
      return resealed(out, manifest);
    };
    const problemsOf = async (f: Map<string, Uint8Array>) =>
      (await verifyDossier(f, { root, anchor: await trusted() })).problems
        .map((c) => `${c.subject}: ${c.message}`)
        .join("\n");

    const changed = json("deployment.json");
    changed.deployments[0].steps[4].evidence.output = "patching file www/other.php";
    expect(await problemsOf(await reseal({ "deployment.json": changed }))).toMatch(
      /step 5: the signed evidence is not what deployment\.json records/,
    );

    const unsigned = json("deployment.json");
    unsigned.deployments[0].steps[2].statement = null;
    expect(await problemsOf(await reseal({ "deployment.json": unsigned }))).toMatch(
      /step 3: the tick has no signed statement/,
    );

    const manifest = json("manifest.json");
    const tick = (n: number) =>
      manifest.statements.find(
        (s: { kind: string; step?: number }) => s.kind === "step" && s.step === n,
      );
    [tick(6).receivedAt, tick(7).receivedAt] = [tick(7).receivedAt, tick(6).receivedAt];
    expect(await problemsOf(await reseal({ "manifest.json": manifest }))).toMatch(
      /step 7 was signed before step 6: ticks go in order/,
    );

    // The notification's part with one byte flipped, every hash recomputed: only its signature can tell.
    const partName = json("deployment.json").deployments[0].notification.part as string;
    const flipped = flipByte(files.get(partName)!, Math.floor(files.get(partName)!.length / 2));
    const forgedManifest = json("manifest.json");
    forgedManifest.files[partName] = sha256Hex(flipped);
    const forged = await resealed(new Map(files).set(partName, flipped), forgedManifest);
    const forgedProblems = (await verifyDossier(forged, { root, anchor: await trusted() }))
      .problems;
    expect(forgedProblems.map((c) => `${c.check} ${c.subject}: ${c.message}`)).toEqual([
      expect.stringMatching(
        new RegExp(`^notification ${partName}: the notification's signature does not verify`),
      ),
    ]);
  });

  it("includes the signed presence of a signing-server visit and verifies it", async () => {
    const t = await makeTeam();
    const p = await visitRecorded(t);
    for (const n of [3, 4, 5, 6, 7])
      await decideStep({
        actor: t.ca1,
        patchId: p.id,
        number: n,
        applicable: n === 5,
        reason: n === 5 ? "code on USB stick" : "not needed",
      });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 1, evidence: {} });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 2, evidence: {} });
    await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 5,
      evidence: { output: "patching file signer.c", result: "clean" },
    });

    const dossier = await buildDossier({ actor: t.ae, patchId: p.id });
    const { root, files } = await readDossier(dossier.bytes);
    expect(
      [...files.keys()].filter((n) => /^statements\/\d+-presence-present-r1\.txt$/.test(n)),
    ).toHaveLength(3);
    const report = await verifyDossier(files, { root, anchor: await trusted() });
    expect(report.problems.map((c) => `${c.subject}: ${c.message}`)).toEqual([]);
    expect(report.checks.find((c) => c.check === "deployment")?.message).toMatch(
      /SIGNING_SERVER deployment of revision 1: OPEN, 3 step\(s\) done/,
    );

    // Without one presence the visit no longer holds: the verifier says so (beside the hash problems).
    const manifest = JSON.parse(new TextDecoder().decode(files.get("manifest.json")!));
    const dropped = manifest.statements.find((s: { kind: string }) => s.kind === "presence");
    manifest.statements = manifest.statements.filter((s: { id: string }) => s.id !== dropped.id);
    const fewer = new Map(files).set(
      "manifest.json",
      new TextEncoder().encode(JSON.stringify(manifest)),
    );
    const broken = await verifyDossier(fewer, { root, anchor: await trusted() });
    expect(broken.problems.map((c) => c.message).join("\n")).toMatch(
      /steps were done without the visit: 1 critical admin/,
    );
  });

  it("is refused to a person without patch:read, and for an unknown patch", async () => {
    const t = await makeTeam();
    const p = await submitPatch({
      actor: t.dev,
      system: "webdb",
      title: "Small fix",
      summary: "s",
      bugId: "1",
      bugSummary: "b",
      diff: sampleDiff(),
    });
    const nobody = await makePerson([]);
    await expect(buildDossier({ actor: nobody, patchId: p.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(buildDossier({ actor: t.dev, patchId: "nope" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // A draft exports too, and verifies: nothing is claimed that the statements do not show.
    const draft = await buildDossier({ actor: t.dev, patchId: p.id });
    const { root, files } = await readDossier(draft.bytes);
    expect((await verifyDossier(files, { root, anchor: await trusted() })).problems).toEqual([]);
  });

  it("is served by GET /api/v1/patches/:id/evidence as application/gzip with the dossier's file name", async () => {
    const t = await makeTeam();
    const p = await submitPatch({
      actor: t.dev,
      system: "webdb",
      title: "Small fix",
      summary: "s",
      bugId: "1",
      bugSummary: "b",
      diff: sampleDiff(),
    });
    const token = await makeToken(t.a1);
    const call = (auth?: string) =>
      apiGet(
        new Request(`http://localhost/api/v1/patches/${p.id}/evidence`, {
          headers: auth ? { authorization: auth } : {},
        }),
        { params: Promise.resolve({ id: p.id }) },
      );
    const res = await call(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="patch-${p.number}-evidence.tar.gz"`,
    );
    const { files } = await readDossier(new Uint8Array(await res.arrayBuffer()));
    expect(files.has("manifest.json")).toBe(true);
    expect((await call()).status).toBe(401);
  });
});
