import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../lib/db";
import { hashApiToken } from "../lib/crypto/tokens";
import { makeKey } from "../test/pgp-fixtures";
import { resetDatabase } from "../test/reset";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { createUser } from "../lib/server/users/create-user";

const BIN = fileURLToPath(new URL("../bin/patchgate.mjs", import.meta.url));
const ZERO_HASH = "0".repeat(64);

// Files the commands read (key files) live here, and the CLI runs from here:
// away from the repository, as an operator would run it.
let workDir: string;

type TRun = { code: number | null; stdout: string; stderr: string };

/** Runs the real CLI in a child process, the way an operator would. */
function cli(args: string[], input?: string): Promise<TRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: workDir,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, PATCHGATE_DEBUG: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

function lines(text: string): string[] {
  return text.trimEnd().split("\n");
}

async function tamper(sql: string) {
  await db.$transaction([
    db.$executeRawUnsafe("SET LOCAL session_replication_role = replica"),
    db.$executeRawUnsafe(sql),
  ]);
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "patchgate-cli-"));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});
beforeEach(resetDatabase);

describe("patchgate user add", () => {
  it("creates a person with roles, key and token, and prints the token alone on the last line", async () => {
    const key = await makeKey({ email: "ada@example.org" });
    await writeFile(path.join(workDir, "ada.asc"), key.publicKey);

    const run = await cli([
      "user",
      "add",
      "--email",
      "Ada@Example.org",
      "--name",
      "Ada Lovelace",
      "--role",
      "critical-admin",
      "--role",
      "DEVELOPER",
      "--pgp-key",
      "ada.asc",
      "--token",
    ]);

    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    const token = out.at(-1)!;
    expect(token).toMatch(/^pg_[A-Za-z0-9_-]{43}$/);
    expect(out.at(-2)).toMatch(
      /^created user ada@example\.org \(\w+\) with roles critical-admin, developer/,
    );

    const user = await db.user.findUniqueOrThrow({
      where: { email: "ada@example.org" },
      include: { grants: true, keys: true, tokens: true },
    });
    expect(user.grants.map((g) => g.role).sort()).toEqual(["CRITICAL_ADMIN", "DEVELOPER"]);
    for (const grant of user.grants) {
      expect(grant).toMatchObject({
        approvedVia: "cli-bootstrap",
        nominatedVia: "cli-bootstrap",
        approvedById: null,
      });
      expect(grant.approvedAt).not.toBeNull();
    }
    expect(user.keys.map((k) => k.fingerprint)).toEqual([key.fingerprint]);
    expect(user.tokens.map((t) => t.tokenHash)).toEqual([hashApiToken(token)]);
  });

  it("refuses a second person with the same email and writes nothing", async () => {
    expect(
      (
        await cli([
          "user",
          "add",
          "--email",
          "bob@example.org",
          "--name",
          "Bob",
          "--role",
          "tester",
        ])
      ).code,
    ).toBe(0);
    const events = await db.auditEvent.count();
    const key = await makeKey({ email: "bob@example.org" });
    await writeFile(path.join(workDir, "bob2.asc"), key.publicKey);

    const run = await cli([
      "user",
      "add",
      "--email",
      "BOB@example.org",
      "--name",
      "Bob Two",
      "--role",
      "admin",
      "--pgp-key",
      "bob2.asc",
      "--token",
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/already exists/);
    expect(run.stdout).toBe("");
    expect(await db.auditEvent.count()).toBe(events);
    expect(await db.user.count()).toBe(1);
    expect(await db.pgpKey.count()).toBe(0);
    expect(await db.apiToken.count()).toBe(0);
  });

  it("refuses an unknown role", async () => {
    const run = await cli([
      "user",
      "add",
      "--email",
      "eve@example.org",
      "--name",
      "Eve",
      "--role",
      "superuser",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/superuser.*Unknown role/s);
    expect(await db.user.count()).toBe(0);
  });

  it("refuses a private key file and creates no one", async () => {
    const key = await makeKey();
    await writeFile(path.join(workDir, "secret.asc"), key.privateKey);
    const run = await cli([
      "user",
      "add",
      "--email",
      "pat@example.org",
      "--name",
      "Pat",
      "--role",
      "tester",
      "--pgp-key",
      "secret.asc",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/private key/);
    expect(await db.user.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("names each invalid field", async () => {
    const run = await cli([
      "user",
      "add",
      "--email",
      "not-an-email",
      "--name",
      " ",
      "--role",
      "tester",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/email: /);
    expect(run.stderr).toMatch(/name: /);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("reads the password from stdin, and refuses it together with --password", async () => {
    const both = await cli([
      "user",
      "add",
      "--email",
      "sam@example.org",
      "--name",
      "Sam",
      "--role",
      "tester",
      "--password",
      "x",
      "--password-stdin",
    ]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/cannot be used with/);

    const run = await cli(
      [
        "user",
        "add",
        "--email",
        "sam@example.org",
        "--name",
        "Sam",
        "--role",
        "tester",
        "--password-stdin",
      ],
      "correct horse battery\n",
    );
    expect(run.code).toBe(0);
    const user = await db.user.findUniqueOrThrow({ where: { email: "sam@example.org" } });
    expect(user.passwordHash).toBeTruthy();
  });
});

describe("patchgate user revoke-role", () => {
  it("revokes a role alone but refuses the last admin, in words, and changes nothing", async () => {
    for (const email of ["olga@example.org", "otto@example.org"])
      await createUser({ actor: CLI_BOOTSTRAP, email, name: email, roles: ["ADMIN"] });
    const first = await cli([
      "user",
      "revoke-role",
      "--email",
      "otto@example.org",
      "--role",
      "admin",
      "--reason",
      "left",
    ]);
    expect(first).toMatchObject({ code: 0, stdout: "revoked admin from otto@example.org\n" });
    const last = await cli([
      "user",
      "revoke-role",
      "--email",
      "olga@example.org",
      "--role",
      "admin",
      "--reason",
      "left",
    ]);
    expect(last.code).toBe(1);
    expect(last.stderr.trim()).toBe(
      "error: olga@example.org is the last admin: nominate and approve another admin first.",
    );
    expect(await db.roleGrant.count({ where: { role: "ADMIN", revokedAt: null } })).toBe(1);
  }, 90_000);
});

describe("patchgate system add", () => {
  it("applies the default policy", async () => {
    const run = await cli(["system", "add", "--slug", "webdb-main", "--name", "Main web database"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/created system webdb-main/);
    const system = await db.targetSystem.findUniqueOrThrow({ where: { slug: "webdb-main" } });
    expect(system).toMatchObject({ reviewsRequired: 2, testsRequired: 2, procedure: "WEBDB" });
  });

  it("takes the procedure and thresholds given", async () => {
    const run = await cli([
      "system",
      "add",
      "--slug",
      "signer",
      "--name",
      "Signer",
      "--procedure",
      "signing-server",
      "--reviews",
      "3",
      "--tests",
      "2",
    ]);
    expect(run.code).toBe(0);
    const system = await db.targetSystem.findUniqueOrThrow({ where: { slug: "signer" } });
    expect(system).toMatchObject({
      reviewsRequired: 3,
      testsRequired: 2,
      procedure: "SIGNING_SERVER",
    });
  });

  it("refuses fewer than two reviews or tests, in words, and creates nothing", async () => {
    const run = await cli(["system", "add", "--slug", "low", "--name", "Low", "--tests", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/at least 2 tests by distinct people/);
    expect(await db.targetSystem.count({ where: { slug: "low" } })).toBe(0);
  });
});

describe("patchgate system policy", () => {
  it("changes the policy with a reason, audited; refuses below two and writes nothing", async () => {
    await cli(["system", "add", "--slug", "webdb", "--name", "WebDB"]);
    const low = await cli([
      ...["system", "policy", "webdb", "--reviews", "1", "--tests", "2"],
      ...["--reason", "fewer eyes"],
    ]);
    expect(low.code).toBe(1);
    expect(low.stderr).toMatch(/at least 2 reviews by distinct people/);
    expect(await db.auditEvent.count({ where: { action: "system.policy" } })).toBe(0);
    const run = await cli([
      ...["system", "policy", "webdb", "--reviews", "3", "--tests", "2"],
      ...["--reason", "more eyes"],
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/policy of webdb: 3 reviews and 2 tests required \(was 2 and 2\)/);
    expect(await db.targetSystem.findUniqueOrThrow({ where: { slug: "webdb" } })).toMatchObject({
      reviewsRequired: 3,
      testsRequired: 2,
    });
    expect(await db.auditEvent.count({ where: { action: "system.policy" } })).toBe(1);
  });
});

describe("patchgate audit", () => {
  it("prints the genesis head of an empty log", async () => {
    const run = await cli(["audit", "head"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`0 ${ZERO_HASH}`);
  });

  it("prints the head, verifies an intact chain and names the first tampered row", async () => {
    await cli(["user", "add", "--email", "a@example.org", "--name", "A", "--role", "tester"]);
    await cli(["system", "add", "--slug", "s1", "--name", "S1"]);
    const last = await db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const count = await db.auditEvent.count();

    const head = await cli(["audit", "head"]);
    expect(head.code).toBe(0);
    expect(head.stdout.trim()).toBe(`${last.seq} ${last.hash}`);

    const ok = await cli(["audit", "verify"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split("\n")).toEqual([
      `audit chain ok: ${count} events, head ${last.seq} ${last.hash}`,
      // No worker ran: nothing is integrated yet, which the tree line says.
      "log tree: no checkpoint yet",
    ]);

    await tamper(`UPDATE "AuditEvent" SET "subjectId" = 'mallory' WHERE seq = 2`);
    const broken = await cli(["audit", "verify"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^audit chain BROKEN at seq 2: /);
  });
});

describe("patchgate --help", () => {
  it("exits 0 and lists the commands", async () => {
    const run = await cli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["user", "system", "audit"])
      expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
  });

  it("fails with one message on an unknown option", async () => {
    const run = await cli(["audit", "verify", "--bogus"]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("error: unknown option '--bogus'");
  });
});
