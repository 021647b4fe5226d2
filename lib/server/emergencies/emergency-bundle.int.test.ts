import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { gpgHome } from "../../../peers/gpg";
import { makeSigner, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { sign } from "../../../test/emergencies";
import { makeToken } from "../../../test/factories";
import { startApiServer } from "../../../test/api-server";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { sha256Hex } from "../../crypto/hash";
import { readDossier } from "../../dossier/archive";
import { checksumsText, CHECKSUMS, MANIFEST, MANIFEST_SIGNATURE } from "../../dossier/layout";
import { sealDossier } from "../../dossier/portal-seal";
import {
  EMERGENCY_RECORD,
  type TEmergencyBundleManifest,
  type TEmergencyRecord,
} from "../../dossier/emergency-bundle";
import { verifyEmergencyBundle } from "../../dossier/verify-emergency-bundle";
import { addSystem } from "../systems/add-system";
import { portalPublicKey, portalSigningKey } from "../portal-key/portal-key";
import { declareEmergency } from "./declare-emergency";
import { nameResponder } from "./name-responder";
import { buildEmergencyBundle } from "./build-emergency-bundle";
import { disputeEvidence } from "./dispute-evidence";

// An emergency's evidence bundle built from the database: option 2 with its
// dispute and ruling, and option 3 with its session log. Each verifies offline
// (through `patchgate verify` too), and each way of changing the record after
// the fact (a diff, a statement, a move removed or moved, a ruling swapped,
// the state edited) is refused with a message naming it.

type People = Record<"ada" | "bert" | "carl" | "cora" | "ari" | "tara", TSigner>;
let t: People;
let option2: { number: number; id: string };
let option3: { number: number; id: string };
let bundle2: Awaited<ReturnType<typeof buildEmergencyBundle>>;

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const anchor = async () => ({ portalKey: (await portalPublicKey()).publicArmored });
const diffText = (tag: string) => decode(sampleDiff(tag));

async function declare(title: string) {
  return declareEmergency({
    actor: t.carl,
    system: "webdb",
    title,
    description: "Password check skipped for some accounts.",
    severity: "critical",
  });
}

async function throughOption2(id: string) {
  await sign(
    t.carl,
    id,
    "option1-unfit",
    "The 24 hours ran out: the testers could not be reached.",
  );
  await sign(t.ada, id, "option2-patch", "Tested locally against a copy of the database.", {
    diff: diffText("o2"),
  });
  await sign(t.carl, id, "option2-deploy", "Applied the patch at 03:10 UTC, apache reloaded.");
}

beforeAll(async () => {
  await resetDatabase();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
  const [ada, bert, carl, cora, ari, tara] = await Promise.all(
    (
      ["ASSESSOR", "ASSESSOR", "CRITICAL_ADMIN", "CRITICAL_ADMIN", "ARBITRATOR", "TESTER"] as const
    ).map((r) => makeSigner([r])),
  );
  t = { ada, bert, carl, cora, ari, tara };

  // Option 2: a responder acknowledges, option 1 unfit, the assessor's patch, the deploy, the dispute ruled.
  option2 = await declare("Login bypass on webdb");
  await nameResponder({
    actor: t.tara,
    emergencyId: option2.id,
    team: "TESTERS",
    userId: t.tara.id,
    contact: "irc",
  });
  await sign(t.tara, option2.id, "acknowledge", "On standby.", { team: "TESTERS" });
  await throughOption2(option2.id);
  await sign(t.carl, option2.id, "resolve", "Logins checked: the bypass is gone.");
  const dispute = await db.dispute.findFirstOrThrow({ where: { emergencyId: option2.id } });
  await sign(t.ari, option2.id, "ruling", "Option 1 could not finish in time.", {
    disputeId: dispute.id,
    verdict: "justified",
  });
  bundle2 = await buildEmergencyBundle({ actor: t.ari, number: option2.number });

  // Option 3: option 2 failed, both declarations, the watched session, its log, resolved.
  option3 = await declare("Database replication stalls");
  await throughOption2(option3.id);
  await sign(t.carl, option3.id, "option2-failed", "Replication still stalls.");
  await sign(t.carl, option3.id, "option3-declaration", "Needs the live system.", {
    as: "CRITICAL_ADMIN",
  });
  await sign(t.bert, option3.id, "option3-declaration", "Needs analysis on the live system.", {
    as: "ASSESSOR",
  });
  await sign(t.carl, option3.id, "session-opened", "Console on screen, watched.", {
    granteeId: t.ada.id,
  });
  await sign(t.carl, option3.id, "session-terminated", "Fix applied.");
  await sign(t.carl, option3.id, "session-disabled", "Account removed, firewall rule dropped.", {
    log: "03:40 ada: grep replication.conf\n03:52 fixed\n",
    diff: diffText("o3"),
  });
  await sign(t.cora, option3.id, "resolve", "Replication runs.");
}, 120_000);

/** The bundle with `change` applied; resealed, it is a portal-signed bundle whose content disagrees with itself. */
async function tampered(
  bytes: Uint8Array,
  change: (f: Map<string, Uint8Array>) => void,
  reseal = true,
) {
  const { root, files } = await readDossier(bytes);
  const out = new Map(files);
  change(out);
  if (!reseal) return { root, files: out };
  out.delete(MANIFEST_SIGNATURE);
  const m = JSON.parse(decode(out.get(MANIFEST)!)) as TEmergencyBundleManifest;
  out.delete(MANIFEST);
  out.set(CHECKSUMS, text(checksumsText(out)));
  m.files = Object.fromEntries([...out].map(([n, b]) => [n, sha256Hex(b)]));
  out.set(MANIFEST, text(JSON.stringify(m, null, 2) + "\n"));
  return { root, files: await sealDossier(out, await portalSigningKey(), new Date(m.exportedAt)) };
}

/** Edits emergency.json (and the manifest's copy of the state, when it changes). */
const editRecord = (edit: (r: TEmergencyRecord) => void) => (f: Map<string, Uint8Array>) => {
  const r = JSON.parse(decode(f.get(EMERGENCY_RECORD)!)) as TEmergencyRecord;
  edit(r);
  f.set(EMERGENCY_RECORD, text(JSON.stringify(r, null, 2) + "\n"));
  const m = JSON.parse(decode(f.get(MANIFEST)!)) as TEmergencyBundleManifest;
  m.emergency.state = r.state;
  f.set(MANIFEST, text(JSON.stringify(m, null, 2) + "\n"));
};

async function problemsOf(b: { root: string; files: Map<string, Uint8Array> }) {
  const r = await verifyEmergencyBundle(b.files, { root: b.root, anchor: await anchor() });
  expect(r.ok).toBe(false);
  return r.problems.map((p) => `${p.check} ${p.subject}: ${p.message}`);
}

const recordOf = async (bytes: Uint8Array) =>
  JSON.parse(decode((await readDossier(bytes)).files.get(EMERGENCY_RECORD)!)) as TEmergencyRecord;

describe("an emergency's evidence bundle", () => {
  it("option 2 with its dispute and ruling: every statement, key, the deployed diff and the audit events verify offline", async () => {
    const { root, files } = await readDossier(bundle2.bytes);
    expect(root).toBe(`emergency-${option2.number}`);
    expect(bundle2.fileName).toBe(`emergency-${option2.number}-evidence.tar.gz`);
    const r = await verifyEmergencyBundle(files, { root, anchor: await anchor() });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    const rec = r.record!;
    expect(rec.state).toBe("RESOLVED");
    expect(rec.moves.map((m) => m.kind)).toEqual([
      "option1-unfit",
      "option2-patch",
      "option2-deploy",
      "resolve",
    ]);
    // The base64 diff stays out of the record; the diff is its own file.
    expect(JSON.stringify(rec.moves)).not.toContain('"diff"');
    const deployed = rec.diffs.find((d) => d.deployed)!;
    expect(deployed).toMatchObject({
      source: "option2-patch",
      sha256: sha256Hex(sampleDiff("o2")),
    });
    expect(decode(files.get(deployed.file)!)).toBe(diffText("o2"));
    expect(rec.responders[0]).toMatchObject({
      team: "TESTERS",
      person: { id: t.tara.id },
      statement: { file: expect.stringMatching(/^statements\/001-acknowledge\.txt$/) },
    });
    expect(rec.disputes).toEqual([
      expect.objectContaining({
        cause: "option2",
        state: "RULED",
        ruling: expect.objectContaining({
          verdict: "justified",
          arbitrator: expect.objectContaining({ id: t.ari.id }),
        }),
      }),
    ]);
    expect(r.manifest!.statements.map((s) => s.file)).toEqual([
      "statements/001-acknowledge.txt",
      "statements/002-option1-unfit.txt",
      "statements/003-option2-patch.txt",
      "statements/004-option2-deploy.txt",
      "statements/005-resolve.txt",
      "statements/006-ruling.txt",
    ]);
    for (const s of r.manifest!.statements) expect(files.has(`${s.file}.asc`)).toBe(true);
    expect(decode(files.get("VERIFY.md")!)).toMatch(/emergency's evidence bundle/);
  });

  it("option 3: the session record and its log, and the change made in the session, verify", async () => {
    const b = await buildEmergencyBundle({ actor: t.carl, number: option3.number });
    const { root, files } = await readDossier(b.bytes);
    const r = await verifyEmergencyBundle(files, { root, anchor: await anchor() });
    expect(r.problems).toEqual([]);
    const rec = r.record!;
    expect(rec.disputes.map((d) => d.cause)).toEqual(["option2", "option3"]);
    expect(rec.sessions[0]).toMatchObject({
      grantee: { id: t.ada.id },
      watcher: { id: t.carl.id },
      log: { file: "sessions/1.log" },
    });
    expect(decode(files.get("sessions/1.log")!)).toContain("03:52 fixed");
    const change = rec.diffs.find((d) => d.source === "option3-session")!;
    expect(change).toMatchObject({ deployed: true, sha256: sha256Hex(sampleDiff("o3")) });
    expect(change.patch).not.toBeNull();
  });

  it("is checked by `patchgate verify` (exit 0, the outcome printed); without an anchor nothing is proven", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emergency-bundle-cli-"));
    const file = path.join(dir, bundle2.fileName);
    const key = path.join(dir, "portal.asc");
    writeFileSync(file, bundle2.bytes);
    writeFileSync(key, (await portalPublicKey()).publicArmored);
    const out = execFileSync(
      process.execPath,
      ["bin/patchgate.mjs", "verify", file, "--portal-key", key],
      { encoding: "utf8" },
    );
    expect(out).toMatch(new RegExp(`emergency #${option2.number}: RESOLVED, 4 moves, 1 dispute`));
    expect(out).toMatch(/dossier verified: \d+ checks passed/);
    const bare = spawnSync(process.execPath, ["bin/patchgate.mjs", "verify", file], {
      encoding: "utf8",
    });
    expect(bare.status).toBe(1);
    expect(bare.stderr).toMatch(/nothing is proven without a trust anchor/);
    // A changed file, not resealed: refused through the CLI, naming the file.
    const broken = await tampered(
      bundle2.bytes,
      (f) => f.set("statements/005-resolve.txt", text("patchgate-statement v1\n")),
      false,
    );
    const { packDossier } = await import("../../dossier/archive");
    const brokenFile = path.join(dir, "broken.tar.gz");
    writeFileSync(brokenFile, await packDossier(broken.root, broken.files, new Date()));
    const refused = spawnSync(
      process.execPath,
      ["bin/patchgate.mjs", "verify", brokenFile, "--portal-key", key],
      { encoding: "utf8" },
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /statements\/005-resolve\.txt: SHA-256 \w+ is not the manifest's/,
    );
  });

  it("checks by hand with stock tools: gpg --verify of the seal and each statement, sha256sum -c and of the diff", async () => {
    const { files } = await readDossier(bundle2.bytes);
    const dir = mkdtempSync(path.join(tmpdir(), "emergency-bundle-stock-"));
    for (const [name, bytes] of files) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), bytes);
    }
    expect(execFileSync("sha256sum", ["-c", CHECKSUMS], { cwd: dir, encoding: "utf8" })).toMatch(
      /emergency\.json: OK/,
    );
    const m = JSON.parse(decode(files.get(MANIFEST)!)) as TEmergencyBundleManifest;
    const rec = JSON.parse(decode(files.get(EMERGENCY_RECORD)!)) as TEmergencyRecord;
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
      for (const s of m.statements)
        expect(ok([s.signature, s.file]).stdout, s.file).toMatch(
          new RegExp(`\\[GNUPG:\\] VALIDSIG ${s.fingerprint}`),
        );
    } finally {
      g.cleanup();
    }
    // The statement that brought the patch names the bundled diff's SHA-256.
    const diff = execFileSync("sha256sum", [rec.diffs[0].file], { cwd: dir, encoding: "utf8" });
    expect(decode(files.get("statements/003-option2-patch.txt")!)).toContain(
      `patch-sha256: ${diff.split(" ")[0]}`,
    );
  });

  it("refuses a changed diff", async () => {
    const rec = await recordOf(bundle2.bytes);
    const file = rec.diffs[0].file;
    const problems = await problemsOf(
      await tampered(bundle2.bytes, (f) =>
        f.set(file, text(decode(f.get(file)!).replace("+", "+backdoor();"))),
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^diff ${file}: hashes to \\w+, not the SHA-256 \\w+ the record names: the diff was changed$`,
        ),
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^statement statements\/003-option2-patch\.txt: names patch-sha256 \w+, which is the SHA-256 of no diff in the bundle$/,
      ),
    );
  });

  it("refuses a changed statement", async () => {
    const file = "statements/005-resolve.txt";
    const problems = await problemsOf(
      await tampered(bundle2.bytes, (f) =>
        f.set(file, text(decode(f.get(file)!).replace("the bypass is gone", "all fine"))),
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^statement statements\/005-resolve\.txt: its signed reason is not the record's move 4 \(resolve\)'s reason$/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^statement statements\/005-resolve\.txt: statements\/005-resolve\.txt\.asc is not a good signature/,
      ),
    );
  });

  it("refuses a move removed", async () => {
    const problems = await problemsOf(
      await tampered(
        bundle2.bytes,
        editRecord((r) => {
          r.moves = r.moves
            .filter((m) => m.kind !== "option1-unfit")
            .map((m, i) => ({ ...m, seq: i + 1 }));
        }),
      ),
    );
    expect(problems).toContainEqual(
      "statement statements/002-option1-unfit.txt: emergency.json does not say what this statement is for",
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^audit audit\/events\.jsonl: the audit log records the move option1-unfit \(statement [\w-]+\) that emergency\.json does not list: a move was removed$/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^ladder emergency\.json: the moves call for dispute\(s\) none; the record lists option2$/,
      ),
    );
  });

  it("refuses moves reordered", async () => {
    const problems = await problemsOf(
      await tampered(
        bundle2.bytes,
        editRecord((r) => {
          [r.moves[0], r.moves[1]] = [r.moves[1], r.moves[0]];
        }),
      ),
    );
    expect(problems).toContainEqual(
      "ladder emergency.json: move 2 (option2-patch) is listed at position 1: the moves are out of order or one is missing",
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^audit audit\/events\.jsonl: emergency\.json lists the moves in another order than the audit log recorded them/,
      ),
    );
  });

  it("refuses a ruling swapped", async () => {
    const problems = await problemsOf(
      await tampered(
        bundle2.bytes,
        editRecord((r) => {
          r.disputes[0].ruling!.verdict = "not-justified";
        }),
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^statement statements\/006-ruling\.txt: says verdict: justified, dispute #\d+'s ruling not-justified$/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^audit audit\/events\.jsonl: no dispute\.ruled event records dispute #\d+'s ruling \(not-justified/,
      ),
    );
  });

  it("refuses the state edited", async () => {
    const problems = await problemsOf(
      await tampered(
        bundle2.bytes,
        editRecord((r) => {
          r.state = "OPTION2";
        }),
      ),
    );
    expect(problems).toContainEqual(
      "ladder emergency.json: the record says OPTION2; its moves replayed on the ladder make it RESOLVED",
    );
  });

  it("a false alarm closed by a second person and its declarer: CLOSED, as the ladder replays it", async () => {
    const e = await declare("Monitoring misfired");
    await sign(t.ada, e.id, "close", "The alert came from a test probe.");
    await sign(t.carl, e.id, "close", "Confirmed: the probe, not an attack.");
    const b = await buildEmergencyBundle({ actor: t.ari, number: e.number });
    const { root, files } = await readDossier(b.bytes);
    const r = await verifyEmergencyBundle(files, { root, anchor: await anchor() });
    expect(r.problems).toEqual([]);
    expect(r.record).toMatchObject({ state: "CLOSED", closedAt: expect.any(String), disputes: [] });
    expect(r.record!.diffs).toEqual([]);
  });

  it("needs patch:read: a person without a role is refused, an unknown emergency is NOT_FOUND", async () => {
    const nobody = await makeSigner([]);
    await expect(
      buildEmergencyBundle({ actor: nobody, number: option2.number }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(buildEmergencyBundle({ actor: t.ari, number: 999_999 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("GET /api/v1/emergencies/:number/evidence", () => {
  let api: Awaited<ReturnType<typeof startApiServer>>;
  beforeAll(async () => {
    api = await startApiServer();
  });
  afterAll(async () => {
    await api?.close();
  });
  const get = (path: string, token?: string) =>
    fetch(`${api.url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it("answers the bundle to an arbitrator (read-scoped token), 401 without a token, 403 without a role, 404 and 400", async () => {
    const url = `/api/v1/emergencies/${option2.number}/evidence`;
    const ok = await get(url, await makeToken(t.ari, { scope: "READ" }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/gzip");
    expect(ok.headers.get("content-disposition")).toBe(
      `attachment; filename="emergency-${option2.number}-evidence.tar.gz"`,
    );
    const bytes = new Uint8Array(await ok.arrayBuffer());
    expect(ok.headers.get("x-content-sha256")).toBe(sha256Hex(bytes));
    const { root, files } = await readDossier(bytes);
    expect((await verifyEmergencyBundle(files, { root, anchor: await anchor() })).ok).toBe(true);

    const anonymous = await get(url);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error).toMatchObject({ code: "UNAUTHENTICATED" });
    const nobody = await makeSigner([]);
    const refused = await get(url, await makeToken(nobody));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toEqual({
      code: "FORBIDDEN",
      message: "Your roles do not allow patch:read.",
    });
    const missing = await get("/api/v1/emergencies/999999/evidence", await makeToken(t.tara));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toEqual({
      code: "NOT_FOUND",
      message: "No emergency #999999.",
    });
    const bad = await get("/api/v1/emergencies/abc/evidence", await makeToken(t.tara));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "VALIDATION" });
  });
});

describe("the dispute page's evidence", () => {
  it("shows the deployed diff and names every signer with their part, never an id", async () => {
    const two = await disputeEvidence({ actor: t.ari, emergencyId: option2.id });
    expect(two.diffs).toEqual([
      expect.objectContaining({
        label: "Option 2: the assessor's patch the critical admin deployed",
        sha256: sha256Hex(sampleDiff("o2")),
        text: diffText("o2"),
        patch: expect.objectContaining({ revision: 1 }),
      }),
    ]);
    expect(two.signers.map((s) => `${s.name} (${s.role}): ${s.what}`)).toEqual([
      `${t.tara.name} (Testers responder): Acknowledged standby`,
      `${t.carl.name} (Critical admin, declarer): Option 1 recorded unfit`,
      `${t.ada.name} (Assessor): Option 2: assessor's locally tested patch`,
      `${t.carl.name} (Critical admin, declarer): Option 2: critical admin deployed the patch`,
      `${t.carl.name} (Critical admin, declarer): Emergency resolved`,
      `${t.ari.name} (Arbitrator): Ruling on the dispute`,
    ]);
    const three = await disputeEvidence({ actor: t.ari, emergencyId: option3.id });
    expect(three.diffs.map((d) => d.label)).toEqual([
      "Option 2: the assessor's patch the critical admin deployed",
      "Option 3: the change made on the live system in the session",
    ]);
    expect(three.diffs[1].text).toBe(diffText("o3"));
    expect(three.signers.map((s) => s.name)).toContain(t.bert.name);
    await expect(disputeEvidence({ actor: t.tara, emergencyId: option2.id })).rejects.toMatchObject(
      { code: "FORBIDDEN" },
    );
  });
});
