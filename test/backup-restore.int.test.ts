import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { db } from "../lib/db";
import { env, portalKeyPassphrase } from "../lib/env";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { readDossier } from "../lib/dossier/archive";
import { addSystem } from "../lib/server/systems/add-system";
import { submitPatch } from "../lib/server/patches/submit-patch";
import { buildDossier } from "../lib/server/dossier/build-dossier";
import { declareEmergency } from "../lib/server/emergencies/declare-emergency";
import { buildEmergencyBundle } from "../lib/server/emergencies/build-emergency-bundle";
import { addServer } from "../lib/server/hotfixes/servers";
import { uploadHotfix } from "../lib/server/hotfixes/upload-hotfix";
import {
  issueHotfixStatement,
  recordHotfixSignoff,
} from "../lib/server/hotfixes/hotfix-statements";
import { reportApplication } from "../lib/server/hotfixes/applications";
import { buildHotfixBundle } from "../lib/server/hotfixes/build-hotfix-bundle";
import { portalPublicKey } from "../lib/server/portal-key/portal-key";
import { resetDatabase } from "./reset";
import { makeToken } from "./factories";
import { detachSign, makeSigner, signoff, type TSigner } from "./signers";
import { sampleDiff } from "./diffs";
import { sign as signEmergency } from "./emergencies";
import { hotfixArchive, sha256 } from "./hotfix-archives";
import { PATCH_FIELDS } from "./process";
import { deploymentUpToStep9 } from "./workers/deployment";
import { createEmptyDatabase, dropTestDatabase } from "./test-database";
import { ensureProductionBuild, killAppProcesses, startAppProcess } from "./app-process";

// Issue 17, backup and restore: a running portal (patches through their gates,
// a deployment, an emergency, a hotfix) is dumped with `pg_dump -Fc` while
// sign-offs go on, restored with `pg_restore` into a new database, and there
// `patchgate audit verify` passes, every bundle exported before still verifies
// offline, and the restored portal (`next start` on the restored database, with
// the same PORTAL_KEY_PASSPHRASE) exports bundles that verify under the same key.
// Without the passphrase, which is not in the database, it cannot seal them.

const HOTFIX = "hotfix_common_fix_tags_and_stats";
const work = mkdtempSync(path.join(tmpdir(), "patchgate-backup-"));
const file = (name: string) => path.join(work, name);

type TBundle = { kind: string; file: string; route: string };
const bundles: TBundle[] = [];
let admin: TSigner;
let adminToken: string;
let portalFingerprint: string;
let restored: { name: string; url: string } | undefined;
const figures = {
  signoffsBefore: 0,
  signoffsDuringDump: 0,
  signoffsAfter: 0,
  signoffsRestored: 0,
  dumpBytes: 0,
  dumpMs: 0,
  restoreMs: 0,
};

/** libpq's form of a database URL: Prisma's query parameters are not libpq's. */
const libpqUrl = (url: string) => {
  const u = new URL(url);
  u.search = "";
  return u.toString();
};

/** The patchgate CLI as an operator runs it, against the database given. */
function cli(args: string[], databaseUrl?: string) {
  return spawnSync(process.execPath, ["bin/patchgate.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: databaseUrl ?? process.env.DATABASE_URL },
  });
}

/**
 * A command run to the end without blocking this process, its standard output: sign-offs go on
 * meanwhile, and a blocked event loop would let their transactions run out of time.
 */
function run(cmd: string, args: string[]) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${cmd} exited with ${code}: ${stderr}`)),
    );
  });
}

async function signHotfix(
  who: TSigner,
  q: Omit<Parameters<typeof issueHotfixStatement>[0], "actor">,
) {
  const { statement } = await issueHotfixStatement({ actor: who, ...q });
  await recordHotfixSignoff({
    actor: who,
    name: q.name,
    statement,
    signature: await detachSign(who.privateKey, statement),
  });
}

beforeAll(async () => {
  const build = await ensureProductionBuild();
  console.log(`backup-restore: build ${build.buildId} of ${build.builtAt.toISOString()}`);
  await resetDatabase();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });

  // A patch through both gates and its request, its deployment signed up to the notification.
  const d = await deploymentUpToStep9("webdb", "cacert-2026-12-03.tar.gz", "1703");
  await d.finish();
  admin = d.admin;
  adminToken = await makeToken(admin);
  const dossier = await buildDossier({ actor: admin, patchId: d.patch.id });
  writeFileSync(file(dossier.fileName), dossier.bytes);
  bundles.push({
    kind: "patch dossier",
    file: file(dossier.fileName),
    route: `/api/v1/patches/${d.patch.id}/evidence`,
  });

  // An emergency through option 2: unfit for option 1, the assessor's patch deployed, resolved.
  const [ada, tara] = await Promise.all([makeSigner(["ASSESSOR"]), makeSigner(["TESTER"])]);
  const carl = await makeSigner(["CRITICAL_ADMIN"]);
  const em = await declareEmergency({
    actor: carl,
    system: "webdb",
    title: "Login bypass on webdb",
    description: "Password check skipped for some accounts.",
    severity: "critical",
  });
  await signEmergency(carl, em.id, "option1-unfit", "The testers could not be reached.");
  await signEmergency(ada, em.id, "option2-patch", "Tested against a copy of the database.", {
    diff: new TextDecoder().decode(sampleDiff("em")),
  });
  await signEmergency(carl, em.id, "option2-deploy", "Applied at 03:10 UTC.");
  await signEmergency(carl, em.id, "resolve", "Logins checked: the bypass is gone.");
  const emergency = await buildEmergencyBundle({ actor: tara, number: em.number });
  writeFileSync(file(emergency.fileName), emergency.bytes);
  bundles.push({
    kind: "emergency bundle",
    file: file(emergency.fileName),
    route: `/api/v1/emergencies/${em.number}/evidence`,
  });

  // A hotfix released, applied and verified on its server.
  const releaser = await makeSigner(["ASSESSOR"]);
  await addServer({
    actor: admin,
    slug: "km-fe1",
    role: "frontend",
    product: "sshmgr",
    version: "3.0.0",
  });
  await uploadHotfix({
    actor: admin,
    fileName: `sshmgr-3.0.0-${HOTFIX}_UKM-1291.gz`,
    bytes: await hotfixArchive({ "api/v2/operations.pyc": ["old", "new"] }),
  });
  await signHotfix(releaser, { name: HOTFIX, kind: "hotfix-release" });
  await reportApplication({
    actor: admin,
    name: HOTFIX,
    server: "km-fe1",
    outcome: "APPLIED",
    restartCommand: "supervisorctl restart all",
    restartExit: 0,
    files: { "api/v2/operations.pyc": sha256("new") },
  });
  await signHotfix(admin, { name: HOTFIX, kind: "hotfix-verify", server: "km-fe1", direct: true });
  const hotfix = await buildHotfixBundle({ actor: admin, name: HOTFIX });
  writeFileSync(file(hotfix.fileName), hotfix.bytes);
  bundles.push({
    kind: "hotfix bundle",
    file: file(hotfix.fileName),
    route: `/api/v1/hotfixes/${HOTFIX}/evidence`,
  });

  const key = await portalPublicKey();
  portalFingerprint = key.fingerprint;
  writeFileSync(file("portal-key.asc"), key.publicArmored);
}, 600_000);

afterAll(async () => {
  await killAppProcesses();
  if (restored) await dropTestDatabase(restored.name);
  rmSync(work, { recursive: true, force: true });
});

describe("pg_dump of a running portal, restored into a new database", () => {
  it("the audit chain, every bundle exported before, and bundles exported again all verify", async () => {
    // Sign-offs go on through the dump: reviews of patches waiting in their review gate.
    const [dev, a1, a2] = await Promise.all([
      makeSigner(["DEVELOPER"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
    ]);
    const waiting: string[] = [];
    for (let i = 0; i < 30; i++) {
      const p = await submitPatch({
        actor: dev,
        system: "webdb",
        ...PATCH_FIELDS,
        diff: sampleDiff(),
      });
      await signoff(dev, p.id, "submit");
      waiting.push(p.id);
    }
    // The head written down beside the backup (docs/operations.md): the restore must hold it unchanged.
    const head = await run(process.execPath, ["bin/patchgate.mjs", "audit", "head"]);
    const [headSeq, headHash] = head.trim().split(" ");
    const reviewsNow = () => db.signoff.count({ where: { kind: "REVIEW" } });
    let stop = false;
    const lanes = [a1, a2].map(async (who) => {
      for (const patchId of waiting) {
        if (stop) return;
        await signoff(who, patchId, "review", "approve");
      }
    });
    while ((await reviewsNow()) < 4) await new Promise((r) => setTimeout(r, 20));

    const dump = file("patchgate.dump");
    figures.signoffsBefore = await reviewsNow();
    const t0 = Date.now();
    await run("pg_dump", ["-Fc", "-f", dump, "-d", libpqUrl(process.env.DATABASE_URL!)]);
    figures.dumpMs = Date.now() - t0;
    figures.signoffsDuringDump = (await reviewsNow()) - figures.signoffsBefore;
    stop = true;
    await Promise.all(lanes);
    figures.signoffsAfter = await reviewsNow();
    figures.dumpBytes = statSync(dump).size;
    // The lanes were still signing when the dump ended: it was taken from a portal in use.
    expect(figures.signoffsAfter).toBeGreaterThan(figures.signoffsBefore);

    restored = await createEmptyDatabase("restored");
    const t1 = Date.now();
    await run("pg_restore", ["--no-owner", "--exit-on-error", "-d", libpqUrl(restored.url), dump]);
    figures.restoreMs = Date.now() - t1;

    // 1. The audit chain of the restored database verifies, and holds whole transactions:
    // every sign-off the snapshot has comes with its audit event, none without.
    const audit = cli(["audit", "verify"], restored.url);
    expect(audit.stderr).toBe("");
    expect(audit.status).toBe(0);
    const count = spawnSync(
      "psql",
      [
        libpqUrl(restored.url),
        "-tAc",
        [
          `SELECT count(*) FROM "Signoff" WHERE kind = 'REVIEW'`,
          `SELECT count(*) FROM "Signoff"`,
          // Sign-offs with their audit event, and audit events of sign-offs with their row.
          `SELECT count(*) FROM "Signoff" s WHERE EXISTS (SELECT 1 FROM "AuditEvent" e WHERE e.action = 'patch.signed' AND e.payload->>'statementId' = s."statementId")`,
          `SELECT count(*) FROM "AuditEvent" e WHERE e.action = 'patch.signed' AND e.payload->>'kind' IN ('SUBMIT', 'REVIEW', 'TEST', 'REQUEST') AND NOT EXISTS (SELECT 1 FROM "Signoff" s WHERE s."statementId" = e.payload->>'statementId')`,
          `SELECT fingerprint FROM "PortalKey"`,
          `SELECT hash FROM "AuditEvent" WHERE seq = ${Number(headSeq)}`,
        ]
          .map((q) => `(${q})`)
          .join(", ")
          .replace(/^/, "SELECT "),
      ],
      { encoding: "utf8" },
    ).stdout.trim();
    const [reviews, signoffs, withEvent, eventsWithout, fingerprint, hashAtHead] = count.split("|");
    expect(hashAtHead).toBe(headHash);
    figures.signoffsRestored = Number(reviews);
    expect(figures.signoffsRestored).toBeGreaterThanOrEqual(figures.signoffsBefore);
    expect(figures.signoffsRestored).toBeLessThanOrEqual(figures.signoffsAfter);
    expect(Number(withEvent)).toBe(Number(signoffs));
    expect(Number(eventsWithout)).toBe(0);
    // 2. The portal key is the restored row itself: the same key, under the same passphrase.
    expect(fingerprint).toBe(portalFingerprint);

    // 3. Every bundle exported before the dump verifies offline, with the portal key.
    const key = file("portal-key.asc");
    for (const b of bundles) {
      const v = cli(["verify", b.file, "--portal-key", key]);
      expect(v.stderr, b.kind).toBe("");
      expect(v.status, b.kind).toBe(0);
    }

    // 4. The restored portal exports them again; they verify under the same key, and the
    // signed statements in them are byte for byte the ones exported before.
    // Started with another passphrase, it cannot unlock the key: the passphrase is not in the database.
    const base = {
      DATABASE_URL: restored.url,
      REDIS_URL: env().REDIS_URL,
      BULLMQ_PREFIX: `pgtest-restore-${randomBytes(4).toString("hex")}`,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      PUBLIC_URL: "https://patchgate.example.org",
    };
    const from = Number(process.env.TEST_APP_PORTS_FROM) || undefined;
    const [app, wrong] = await Promise.all([
      startAppProcess({ ...base, PORTAL_KEY_PASSPHRASE: portalKeyPassphrase() }, from && from + 2),
      startAppProcess(
        { ...base, PORTAL_KEY_PASSPHRASE: "not-the-portal-passphrase" },
        from && from + 3,
      ),
    ]);
    const headers = { authorization: `Bearer ${adminToken}` };
    let statementsCompared = 0;
    for (const b of bundles) {
      const r = await fetch(`${app.url}${b.route}`, { headers });
      expect(r.status, `${b.kind}: ${app.output()}`).toBe(200);
      const again = new Uint8Array(await r.arrayBuffer());
      const againFile = file(`restored-${path.basename(b.file)}`);
      writeFileSync(againFile, again);
      const v = cli(["verify", againFile, "--portal-key", key]);
      expect(v.stderr, b.kind).toBe("");
      expect(v.status, b.kind).toBe(0);
      const before = (await readDossier(new Uint8Array(readFileSync(b.file)))).files;
      const after = (await readDossier(again)).files;
      for (const [name, bytes] of before)
        if (name.startsWith("statements/")) {
          expect(Buffer.from(after.get(name) ?? []).equals(Buffer.from(bytes)), name).toBe(true);
          statementsCompared += 1;
        }
      const refused = await fetch(`${wrong.url}${b.route}`, { headers });
      expect(refused.status, b.kind).toBe(500);
    }
    expect(statementsCompared).toBeGreaterThan(0);

    console.log(
      `backup-restore figures: pg_dump -Fc ${figures.dumpBytes} bytes in ${figures.dumpMs} ms while sign-offs went on (${figures.signoffsBefore} reviews before, ${figures.signoffsDuringDump} recorded during the dump, ${figures.signoffsAfter} at the end); pg_restore in ${figures.restoreMs} ms; restored ${figures.signoffsRestored} reviews, ${signoffs} sign-offs each with its audit event; ${audit.stdout.trim()}; ${bundles.length} bundles (${bundles.map((b) => b.kind).join(", ")}) verify before and re-exported, ${statementsCompared} statements identical; portal key ${fingerprint} unchanged; head ${headSeq} written down before the dump found unchanged`,
    );
  }, 180_000);
});
