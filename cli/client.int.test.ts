import { spawnSync } from "node:child_process";
import { runCli } from "../test/run-cli";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer } from "../test/api-server";
import { makePerson, makeToken } from "../test/factories";
import { makeKey, uniqueEmail } from "../test/pgp-fixtures";
import { addProcessSystems } from "../test/process";
import { resetDatabase } from "../test/reset";
import { sampleDiff } from "../test/diffs";
import { portalPublicKey } from "../lib/server/portal-key/portal-key";
import type { TPersonActor } from "../lib/auth/actor";

// Issue 18: the standard process walked from a terminal. The real `patchgate`
// in child processes against the real /api/v1 route modules (test/api-server.ts),
// signing with stock GnuPG from a throwaway GNUPGHOME that holds every signer's
// key (each picked with --local-user), and the author with a key file through
// openpgp.js: login, submit, two reviews, two tests, the request, the evidence
// bundle and `patchgate verify`; a refusal and a "no" at Sign? [y/N] change nothing.

let work: string;
let gnupgHome: string;
let api: Awaited<ReturnType<typeof startApiServer>>;

/** The real CLI with this test's GnuPG home and no stored login unless a test makes one. */
const cli = (args: string[], env: Record<string, string> = {}, stdin = "") =>
  runCli(args, {
    cwd: work,
    stdin,
    env: {
      PATCHGATE_URL: "",
      PATCHGATE_TOKEN: "",
      GNUPGHOME: gnupgHome,
      XDG_CONFIG_HOME: path.join(work, "no-config"),
      ...env,
    },
  });

const gpg = (args: string[]) =>
  spawnSync(
    "gpg",
    ["--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "", ...args],
    {
      env: { ...process.env, GNUPGHOME: gnupgHome },
      encoding: "utf8",
    },
  );

/** A person whose key lives in the shared GNUPGHOME (no passphrase), registered with the portal. */
async function gpgPerson(role: "ASSESSOR" | "TESTER", name: string) {
  const email = uniqueEmail(name);
  const made = gpg(["--quick-gen-key", `${name} <${email}>`, "ed25519", "sign", "never"]);
  expect(made.status, made.stderr).toBe(0);
  const armored = gpg(["--armor", "--export", email]).stdout;
  const person = await makePerson([role], { pgpKey: armored, email });
  const fpr = /^fpr:{9}([0-9A-F]{40}):/m.exec(
    gpg(["--with-colons", "--fingerprint", email]).stdout,
  )![1];
  return {
    person,
    email,
    fingerprint: fpr,
    env: { PATCHGATE_URL: api.url, PATCHGATE_TOKEN: await makeToken(person) },
  };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "patchgate-client-"));
  gnupgHome = mkdtempSync(path.join(tmpdir(), "pg-gnupg-"));
  api = await startApiServer();
  await resetDatabase();
  await addProcessSystems();
}, 60_000);
afterAll(async () => {
  await api?.close();
  spawnSync("gpgconf", ["--kill", "gpg-agent"], { env: { ...process.env, GNUPGHOME: gnupgHome } });
  rmSync(gnupgHome, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function gates(token: string, number: number) {
  const page = await (
    await fetch(`${api.url}/api/v1/patches?number=${number}`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json();
  const p = await (
    await fetch(`${api.url}/api/v1/patches/${page.patches[0].id}`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json();
  return {
    id: p.id as string,
    state: p.state as string,
    signoffs: p.signoffs.length as number,
    gates: p.gates,
  };
}

describe("patchgate client commands against a portal", () => {
  it("walks the standard process from a terminal: login, submit, two reviews with gpg --local-user, two tests, request, evidence, verify", async () => {
    // The author: a key file for openpgp.js, and a login that stores the token.
    const devKey = await makeKey();
    const dev: TPersonActor = await makePerson(["DEVELOPER"], { pgpKey: devKey.publicKey });
    const devKeyFile = path.join(work, "dev-key.asc");
    writeFileSync(devKeyFile, devKey.privateKey, { mode: 0o600 });
    const devToken = await makeToken(dev);
    const config = path.join(work, "config-dev");
    const asDev = { XDG_CONFIG_HOME: config };

    // Not logged in: exit 3, and what to do.
    const none = await cli(["queue"]);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/not logged in: run patchgate login --portal URL/);

    // A token the portal refuses is not stored.
    const wrong = await cli(["login", "--portal", api.url], asDev, "pg_not-a-token\n");
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/does not accept this token/);
    expect(() => statSync(path.join(config, "patchgate", "config.json"))).toThrow();

    const login = await cli(["login", "--portal", `${api.url}/api/v1/`], asDev, `${devToken}\n`);
    expect(login.stderr).toMatch(/^API token for http:\/\/127\.0\.0\.1:\d+ /);
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(
      new RegExp(`^logged in to ${api.url} as ${dev.name} <${dev.email}>`, "m"),
    );
    const file = path.join(config, "patchgate", "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ portal: api.url, token: devToken });
    expect(login.stdout).not.toContain(devToken);

    // Submit: the number alone on stdout.
    const diffFile = path.join(work, "fix.diff");
    writeFileSync(diffFile, sampleDiff("client"));
    const submitted = await cli(
      [
        "patch",
        "submit",
        "--system",
        "webdb",
        "--title",
        "Fix domain listing",
        "--bug",
        "1234",
        "--bug-summary",
        "Revoked certs hidden",
        diffFile,
      ],
      asDev,
    );
    expect(submitted.stderr).toMatch(/is a draft .*patchgate sign \d+ --submit/);
    expect(submitted.code).toBe(0);
    const n = Number(submitted.stdout.trim());
    expect(Number.isInteger(n)).toBe(true);

    const shown = await cli(["patch", "show", `#${n}`, "--json"], asDev);
    expect(shown.code).toBe(0);
    const view = JSON.parse(shown.stdout);
    expect(view).toMatchObject({
      number: n,
      state: "DRAFT",
      summary: "Fix domain listing",
      bugId: "1234",
    });

    const diff = await cli(["patch", "diff", String(n)], asDev);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toBe(Buffer.from(sampleDiff("client")).toString("utf8"));

    // The author's queue holds the draft; the submit is signed with the key file.
    const q = await cli(["queue", "--json"], asDev);
    expect(JSON.parse(q.stdout).submit.map((p: { number: number }) => p.number)).toEqual([n]);
    const submit = await cli(["sign", String(n), "--submit", "--key", devKeyFile, "--yes"], asDev);
    expect(submit.stderr).toBe("");
    expect(submit.code).toBe(0);
    expect(submit.stdout).toMatch(/^kind: submit$/m);
    expect(submit.stdout).toMatch(
      new RegExp(`^patch #${n} is IN_REVIEW: reviews 0/2, tests 0/2$`, "m"),
    );

    // A refusal: the author may not review their own patch. The portal's words, exit 1, nothing recorded.
    const before = await gates(devToken, n);
    const direct = await fetch(`${api.url}/api/v1/patches/${before.id}/statement`, {
      method: "POST",
      headers: { authorization: `Bearer ${devToken}`, "content-type": "application/json" },
      body: JSON.stringify({ kind: "review", verdict: "approve" }),
    });
    const portalSays = (await direct.json()).error.message as string;
    const refused = await cli(
      ["sign", String(n), "--review", "approve", "--key", devKeyFile, "--yes"],
      asDev,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: ${portalSays}\n`);
    expect(await gates(devToken, n)).toEqual(before);

    // Two assessors, both keys in one GnuPG home, each picked with --local-user.
    const a1 = await gpgPerson("ASSESSOR", "assessor-one");
    const a2 = await gpgPerson("ASSESSOR", "assessor-two");
    const no = await cli(
      ["sign", String(n), "--review", "approve", "--local-user", a1.fingerprint],
      a1.env,
      "n\n",
    );
    expect(no.code).toBe(6);
    expect(no.stdout).toMatch(/^kind: review$/m);
    expect(no.stderr).toMatch(/Sign\? \[y\/N\] error: not signed: nothing was sent/);
    expect(await gates(devToken, n)).toEqual(before);

    const r1 = await cli(
      [
        "sign",
        String(n),
        "--review",
        "approve",
        "--comment",
        "Read every line.",
        "--local-user",
        a1.fingerprint,
      ],
      a1.env,
      "y\n",
    );
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stdout).toMatch(new RegExp(`^-- to be signed with key ${a1.fingerprint}`, "m"));
    expect(r1.stdout).toMatch(
      new RegExp(`^patch #${n} is IN_REVIEW: reviews 1/2, tests 0/2$`, "m"),
    );

    const r2 = await cli(
      ["sign", String(n), "--review", "approve", "--local-user", a2.email, "--yes", "--json"],
      a2.env,
    );
    expect(r2.code, r2.stderr).toBe(0);
    const r2json = JSON.parse(r2.stdout);
    expect(r2json.signoff).toMatchObject({ kind: "review", verdict: "approve" });
    expect(r2json.patch).toMatchObject({
      number: n,
      state: "IN_TEST",
      gates: { reviews: { have: 2, need: 2 } },
    });
    expect(r2.stderr).toMatch(/^kind: review$/m);

    for (const who of ["tester-one", "tester-two"]) {
      const t = await gpgPerson("TESTER", who);
      const run = await cli(
        ["sign", `#${n}`, "--test", "pass", "--local-user", t.fingerprint, "--yes"],
        t.env,
      );
      expect(run.code, run.stderr).toBe(0);
    }

    const a3 = await gpgPerson("ASSESSOR", "assessor-three");
    const waiting = JSON.parse((await cli(["queue", "--json"], a3.env)).stdout);
    expect(waiting.request.map((p: { number: number }) => p.number)).toEqual([n]);
    const req = await cli(
      ["sign", String(n), "--request", "--local-user", a3.fingerprint, "--yes"],
      a3.env,
    );
    expect(req.code, req.stderr).toBe(0);
    expect(req.stdout).toMatch(
      new RegExp(`^patch #${n} is REQUESTED: reviews 2/2, tests 2/2$`, "m"),
    );

    // The evidence bundle, then the existing offline check.
    const bundle = path.join(work, "dossier.tar.gz");
    const ev = await cli(["evidence", String(n), "-o", bundle], asDev);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/^wrote \d+ bytes to .*dossier\.tar\.gz \(sha256 [0-9a-f]{64}\)$/m);
    const portalKey = path.join(work, "portal-key.asc");
    writeFileSync(portalKey, (await portalPublicKey()).publicArmored);
    const verified = await cli(["verify", bundle, "--portal-key", portalKey]);
    expect(verified.stderr).toBe("");
    expect(verified.code).toBe(0);
  }, 240_000);

  it("exit codes: 2 for usage, 4 for no such patch, 5 for a portal that cannot be reached; --json errors", async () => {
    const dev = await makePerson(["DEVELOPER"]);
    const env = { PATCHGATE_URL: api.url, PATCHGATE_TOKEN: await makeToken(dev) };
    const usage = await cli(["sign", "1", "--review", "approve", "--test", "pass"], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/say what you sign, once/);
    const missing = await cli(["patch", "show"], env);
    expect(missing.code).toBe(2);
    const absent = await cli(["patch", "show", "999999", "--json"], env);
    expect(absent.code).toBe(4);
    expect(JSON.parse(absent.stdout)).toEqual({
      error: { code: "NOT_FOUND", message: "there is no patch #999999", exit: 4 },
    });
    const away = await cli(["queue"], {
      PATCHGATE_URL: "http://127.0.0.1:9",
      PATCHGATE_TOKEN: "pg_x",
    });
    expect(away.code).toBe(5);
    expect(away.stderr).toMatch(/cannot reach the portal at http:\/\/127\.0\.0\.1:9/);
  }, 60_000);
});
