import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "../fixtures/test";
import { createPerson, e2eEmail, type TE2EPerson } from "../fixtures/people";

// Issue 18 end to end: the `patchgate` client in child processes against the
// built portal (the webServer's baseURL), signing with stock GnuPG from a
// throwaway GNUPGHOME that holds every signer's key: login, submit, review by
// two assessors (gpg --local-user), two tests, the request, the evidence
// bundle and `patchgate verify`.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SYSTEM = `cli-webdb-${randomBytes(3).toString("hex")}`;
let work: string;
let gnupgHome: string;

type TRun = { code: number | null; stdout: string; stderr: string };

function cli(args: string[], env: Record<string, string>, stdin = ""): Promise<TRun> {
  return new Promise((resolve, reject) => {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      PATCHGATE_URL: "",
      PATCHGATE_TOKEN: "",
      GNUPGHOME: gnupgHome,
      XDG_CONFIG_HOME: path.join(work, "no-config"),
      ...env,
    };
    delete e.DATABASE_URL;
    const child = spawn(process.execPath, [path.join(ROOT, "bin/patchgate.mjs"), ...args], {
      cwd: work,
      env: e,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const gpg = (args: string[]) =>
  spawnSync(
    "gpg",
    ["--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "", ...args],
    { env: { ...process.env, GNUPGHOME: gnupgHome }, encoding: "utf8" },
  );

type TGpgPerson = TE2EPerson & { fingerprint: string };

/** A person whose key (no passphrase) lives in the shared GNUPGHOME, made by `patchgate user add`. */
function gpgPerson(role: string): TGpgPerson {
  const email = e2eEmail(role);
  const made = gpg(["--quick-gen-key", `${role} <${email}>`, "ed25519", "sign", "never"]);
  expect(made.status, made.stderr).toBe(0);
  const publicKey = gpg(["--armor", "--export", email]).stdout;
  const fingerprint = /^fpr:{9}([0-9A-F]{40}):/m.exec(
    gpg(["--with-colons", "--fingerprint", email]).stdout,
  )![1];
  return { ...createPerson([role], { publicKey, email }), fingerprint };
}

test.beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "pg-e2e-client-"));
  gnupgHome = mkdtempSync(path.join(tmpdir(), "pg-e2e-gnupg-"));
  execFileSync(
    process.execPath,
    ["bin/patchgate.mjs", "system", "add", "--slug", SYSTEM, "--name", "webdb (client e2e)"],
    { cwd: ROOT, env: process.env },
  );
});
test.afterAll(() => {
  spawnSync("gpgconf", ["--kill", "gpg-agent"], { env: { ...process.env, GNUPGHOME: gnupgHome } });
  rmSync(gnupgHome, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test("the standard process from a terminal with the patchgate client and gpg", async ({
  baseURL,
  request,
}) => {
  test.setTimeout(180_000);
  const portal = baseURL!;
  const dev = gpgPerson("developer");
  const [a1, a2, a3, t1, t2] = ["assessor", "assessor", "assessor", "tester", "tester"].map(
    gpgPerson,
  );
  const asToken = (p: TE2EPerson) => ({ PATCHGATE_URL: portal, PATCHGATE_TOKEN: p.token });

  // login: the token from stdin, checked, stored 0600.
  const asDev = { XDG_CONFIG_HOME: path.join(work, "dev-config") };
  const login = await cli(["login", "--portal", portal], asDev, `${dev.token}\n`);
  expect(login.code, login.stderr).toBe(0);
  expect(login.stdout).toContain(`as ${dev.name} <${dev.email}>`);
  const file = path.join(work, "dev-config", "patchgate", "config.json");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ portal, token: dev.token });

  const diffFile = path.join(work, "fix.diff");
  writeFileSync(
    diffFile,
    `--- a/www/account.php\n+++ b/www/account.php\n@@ -10,3 +10,3 @@\n \t$query = "select * from domains";\n-\t$res = mysql_query($query);\n+\t$res = mysql_query($query); // cli e2e\n \tif (!$res) exit;\n`,
  );
  const submitted = await cli(
    [
      "patch",
      "submit",
      "--system",
      SYSTEM,
      "--title",
      "Fix domain listing",
      "--bug",
      "1234",
      "--bug-summary",
      "No Servercerts listed",
      diffFile,
    ],
    asDev,
  );
  expect(submitted.code, submitted.stderr).toBe(0);
  const n = submitted.stdout.trim();
  const submit = await cli(
    ["sign", n, "--submit", "--local-user", dev.fingerprint, "--yes"],
    asDev,
  );
  expect(submit.code, submit.stderr).toBe(0);
  expect(submit.stdout).toContain(`patch #${n} is IN_REVIEW: reviews 0/2, tests 0/2`);

  // A refusal: the author reviewing their own patch.
  const own = await cli(
    ["sign", n, "--review", "approve", "--local-user", dev.fingerprint, "--yes"],
    asDev,
  );
  expect(own.code).toBe(1);
  expect(own.stderr).toMatch(/^error: /);

  // "n" at Sign? [y/N] sends nothing.
  const no = await cli(
    ["sign", n, "--review", "approve", "--local-user", a1.fingerprint],
    asToken(a1),
    "n\n",
  );
  expect(no.code).toBe(6);

  for (const a of [a1, a2]) {
    const r = await cli(
      ["sign", n, "--review", "approve", "--local-user", a.fingerprint],
      asToken(a),
      "y\n",
    );
    expect(r.code, r.stderr).toBe(0);
  }
  for (const t of [t1, t2]) {
    const r = await cli(
      ["sign", n, "--test", "pass", "--local-user", t.fingerprint, "--yes"],
      asToken(t),
    );
    expect(r.code, r.stderr).toBe(0);
  }
  const queue = JSON.parse((await cli(["queue", "--json"], asToken(a3))).stdout);
  expect(queue.request.map((p: { number: number }) => String(p.number))).toContain(n);
  const req = await cli(
    ["sign", n, "--request", "--local-user", a3.fingerprint, "--yes"],
    asToken(a3),
  );
  expect(req.code, req.stderr).toBe(0);
  expect(req.stdout).toContain(`patch #${n} is REQUESTED: reviews 2/2, tests 2/2`);

  const shown = JSON.parse((await cli(["patch", "show", n, "--json"], asDev)).stdout);
  expect(shown.signoffs.map((s: { kind: string }) => s.kind)).toEqual([
    "submit",
    "review",
    "review",
    "test",
    "test",
    "request",
  ]);

  const bundle = path.join(work, "dossier.tar.gz");
  const ev = await cli(["evidence", n, "-o", bundle], asDev);
  expect(ev.code, ev.stderr).toBe(0);
  const portalKey = path.join(work, "portal-key.asc");
  writeFileSync(portalKey, await (await request.get("/api/portal-key")).text());
  const verified = await cli(["verify", bundle, "--portal-key", portalKey], {});
  expect(verified.stderr).toBe("");
  expect(verified.code).toBe(0);
});
