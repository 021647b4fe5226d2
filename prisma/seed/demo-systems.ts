// The demo systems' worker configuration (P7–P9), pointed at the local peers
// of scripts/demo-peers.ts, and the tarball step 13 mirrors. Idempotent: an
// unchanged configuration is left alone, a changed one (other ports, another
// demo folder) is replaced.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tar from "tar";
import { db, type Tx } from "../../lib/db";
import { CLI_BOOTSTRAP } from "../../lib/auth/actor";
import { setSystem } from "../../lib/server/systems/set-system";
import { appendAuditEvent } from "../../lib/server/audit/append-event";
import { demoSettings, type TDemoSettings } from "../../scripts/demo-settings.mjs";
import { demoSshKeys } from "../../scripts/demo-ssh-keys";

// The tarball named at step 7 of the seeded DEPLOYED patch (demo-patches.ts).
export const DEMO_TARBALL = "cacert-src-2026-11-24.tar.gz";
export const DEMO_TRACKER_SECRET_ENV = "DEMO_MANTIS_TOKEN";

/** A small real source tarball, made once so its checksum stays the same between runs. */
async function ensureTarball(s: TDemoSettings): Promise<string> {
  const file = path.join(s.tarballDir, DEMO_TARBALL);
  if (existsSync(file)) return file;
  mkdirSync(s.tarballDir, { recursive: true });
  const staging = mkdtempSync(path.join(tmpdir(), "patchgate-demo-src-"));
  try {
    const src = path.join(staging, "cacert-src");
    mkdirSync(path.join(src, "includes"), { recursive: true });
    writeFileSync(
      path.join(src, "README"),
      "CAcert web application sources (Patchgate demo tarball).\n",
    );
    writeFileSync(
      path.join(src, "includes", "session.php"),
      "<?php\n// The PHP4 session handler is gone (bug #1350).\nsession_start();\n",
    );
    writeFileSync(path.join(src, "VERSION"), "2026-11-24\n");
    await tar.create({ gzip: true, portable: true, file, cwd: staging }, ["cacert-src"]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return file;
}

export async function seedDemoSystems() {
  const s = demoSettings();
  const keys = demoSshKeys(s.sshDir);
  await ensureTarball(s);

  const want = {
    systemLogAddress: "cacert-systemlog@lists.demo.patchgate.org",
    assessmentTeamAddress: "cacert-sysadm@lists.demo.patchgate.org",
    trackerKind: "MANTIS" as const,
    trackerUrl: `http://127.0.0.1:${s.trackerPort}`,
    trackerSecretEnv: DEMO_TRACKER_SECRET_ENV,
  };
  const mirror = {
    url: `sftp://mirror@127.0.0.1:${s.sftpPort}/test1`,
    hostKeySha256: keys.hostFingerprint,
    privateKeyPath: keys.clientKeyPath,
  };

  const system = await db.targetSystem.findUniqueOrThrow({
    where: { slug: "webdb" },
    include: { mirrors: true },
  });
  const same =
    (Object.keys(want) as (keyof typeof want)[]).every((k) => system[k] === want[k]) &&
    system.mirrors.length === 1 &&
    system.mirrors.every(
      (m) =>
        m.url === mirror.url &&
        m.hostKeySha256 === mirror.hostKeySha256 &&
        m.privateKeyPath === mirror.privateKeyPath,
    );
  if (same) return;

  // Mirrors of an earlier demo configuration (other port) would fail forever: they go first.
  const stale = system.mirrors.filter((m) => m.url !== mirror.url);
  if (stale.length) {
    await db.$transaction(async (tx: Tx) => {
      await tx.mirrorTarget.deleteMany({ where: { id: { in: stale.map((m) => m.id) } } });
      await appendAuditEvent(tx, {
        actor: CLI_BOOTSTRAP,
        action: "system.updated",
        subjectType: "system",
        subjectId: system.id,
        payload: { slug: "webdb", changes: { removedMirrors: stale.map((m) => m.url) } },
      });
    });
  }
  await setSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", ...want, mirror });
  console.log(
    `webdb: mail to ${want.systemLogAddress}, tracker ${want.trackerUrl}, mirror ${mirror.url} (${mirror.hostKeySha256})`,
  );
}
