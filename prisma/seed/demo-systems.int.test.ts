import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tar from "tar";
import { db } from "../../lib/db";
import { resetDatabase } from "../../test/reset";
import { ensureSystem } from "./builders";
import { DEMO_TARBALL, seedDemoSystems } from "./demo-systems";
import { demoSshKeys } from "../../scripts/demo-ssh-keys";
import { mirrorFile } from "../../workers/sftp/mirror-file";
import { startSftpPeer } from "../../peers/sftp-peer";

// The demo seed's configuration must really reach the demo peers: the pinned
// fingerprint is the peer's host key, the key file is the one it authorizes.
const dir = mkdtempSync(path.join(tmpdir(), "patchgate-demo-dir-"));
const saved = { DEMO_DIR: process.env.DEMO_DIR, DEMO_SFTP_PORT: process.env.DEMO_SFTP_PORT };

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("the demo systems seed", () => {
  beforeEach(resetDatabase);

  it("points webdb at the demo peers once, and the seeded mirror uploads to the demo SFTP server", async () => {
    process.env.DEMO_DIR = dir;
    const keys = demoSshKeys(path.join(dir, "ssh"));
    mkdirSync(path.join(dir, "mirror", "test1"), { recursive: true });
    const sftp = await startSftpPeer({
      root: path.join(dir, "mirror"),
      hostKey: keys.hostKey,
      clientKey: keys.clientKey,
    });
    try {
      process.env.DEMO_SFTP_PORT = String(sftp.port);
      await ensureSystem({ slug: "webdb", name: "CAcert webdb server", procedure: "WEBDB" });
      await seedDemoSystems();
      await seedDemoSystems();
      const system = await db.targetSystem.findUniqueOrThrow({
        where: { slug: "webdb" },
        include: { mirrors: true },
      });
      expect(system).toMatchObject({
        trackerKind: "MANTIS",
        trackerSecretEnv: "DEMO_MANTIS_TOKEN",
        systemLogAddress: "cacert-systemlog@lists.demo.patchgate.org",
      });
      expect(system.mirrors).toHaveLength(1);
      expect(await db.auditEvent.count({ where: { action: "system.updated" } })).toBe(1);

      const tarball = path.join(dir, "tarballs", DEMO_TARBALL);
      const entries: string[] = [];
      await tar.list({ file: tarball, onReadEntry: (e) => void entries.push(e.path) });
      expect(entries).toContain("cacert-src/includes/session.php");

      const result = await mirrorFile(system.mirrors[0], tarball, 5_000);
      expect(result.verified).toBe(true);
      expect(readFileSync(path.join(dir, "mirror", "test1", DEMO_TARBALL))).toEqual(
        readFileSync(tarball),
      );

      // Another port: the old mirror is replaced, not kept beside the new one.
      process.env.DEMO_SFTP_PORT = String(sftp.port + 1);
      await seedDemoSystems();
      const after = await db.mirrorTarget.findMany();
      expect(after.map((m) => m.url)).toEqual([`sftp://mirror@127.0.0.1:${sftp.port + 1}/test1`]);
    } finally {
      await sftp.close();
    }
  });
});
