import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { expect, test, type APIRequestContext } from "../fixtures/test";
import * as openpgp from "openpgp";
import { Header, Pack, ReadEntry } from "tar";
import { createPerson, type TE2EPerson } from "../fixtures/people";

// H1–H6 from a terminal: `patchgate hotfix apply/unapply` against the running
// portal, on two temporary install roots (a front end at 3.0.0 and a back end
// at 3.0.1), as an operator would run them on each server.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const tag = randomBytes(3).toString("hex");
const sha = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");
type TSigner = TE2EPerson & { privateKey: string };

async function signer(role: string): Promise<TSigner> {
  const email = `${role}-${randomBytes(4).toString("hex")}@e2e.example.org`;
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: role, email }],
    format: "armored",
  });
  return { ...createPerson([role], { publicKey, email }), privateKey };
}

async function detachSign(privateKey: string, text: string): Promise<string> {
  return (await openpgp.sign({
    message: await openpgp.createMessage({ text }),
    signingKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    detached: true,
    format: "armored",
  })) as string;
}

async function archive(files: Record<string, [string | null, string]>, version: string) {
  const pack = new Pack({ portable: true });
  const chunks: Buffer[] = [];
  pack.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => pack.on("end", () => r()));
  const manifest = {
    product: "sshmgr",
    version,
    files: Object.entries(files).map(([p, [before, after]]) => ({
      path: p,
      sha256Before: before === null ? null : sha(before),
      sha256After: sha(after),
    })),
  };
  const entries: [string, string][] = [
    ["hotfix.json", JSON.stringify(manifest)],
    ...Object.entries(files).map(([p, [, after]]) => [`files/${p}`, after] as [string, string]),
  ];
  for (const [p, body] of entries) {
    const e = new ReadEntry(
      new Header({ path: p, type: "File", size: Buffer.byteLength(body), mode: 0o644 }),
    );
    pack.add(e);
    e.end(Buffer.from(body));
  }
  pack.end();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

function cli(who: TE2EPerson, baseURL: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/patchgate.mjs", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATCHGATE_URL: baseURL, PATCHGATE_TOKEN: who.token },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

async function signHotfix(request: APIRequestContext, who: TSigner, name: string, query: string) {
  const auth = { authorization: `Bearer ${who.token}` };
  const statement = await request.get(`/api/v1/hotfixes/${name}/statement?${query}`, {
    headers: auth,
  });
  expect(statement.status(), await statement.text()).toBe(200);
  const text = await statement.text();
  const signed = await request.post(`/api/v1/hotfixes/${name}/signoffs`, {
    headers: auth,
    data: { statement: text, signature: await detachSign(who.privateKey, text) },
  });
  expect(signed.status(), await signed.text()).toBe(201);
  return text;
}

function installRoot(files: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), "patchgate-opt-"));
  for (const [p, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), body);
  }
  return root;
}

test("a hotfix goes from upload to delete through the CLI, in the staged order", async ({
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const cora = await signer("critical_admin");
  const carl = await signer("critical_admin");
  const ada = await signer("assessor");
  const url = baseURL!;
  const fe = `fe-${tag}`;
  const fe2 = `fe2-${tag}`;
  const be = `be-${tag}`;

  for (const [slug, role, version] of [
    [fe, "frontend", "3.0.0"],
    [fe2, "frontend", "3.0.0"],
    [be, "backend", "3.0.1"],
  ])
    expect(
      cli(
        cora,
        url,
        "server",
        "add",
        "--slug",
        slug,
        "--product",
        "sshmgr",
        "--version",
        version,
        "--role",
        role,
      ).status,
    ).toBe(0);

  const name = `hotfix_frontend_fix_login_${tag}`;
  const file = path.join(
    mkdtempSync(path.join(tmpdir(), "hf-")),
    `sshmgr-3.0.0-${name}_UKM-1291.gz`,
  );
  writeFileSync(
    file,
    await archive(
      {
        "api/v2/operations.pyc": ["old bytecode", "new bytecode"],
        "api/v2/added.py": [null, "print('added')"],
      },
      "3.0.0",
    ),
  );
  const up = cli(cora, url, "hotfix", "upload", file);
  expect(up.status, up.err).toBe(0);
  expect(up.out).toContain(`uploaded ${name}`);
  expect(cli(cora, url, "hotfix", "upload", file).err).toMatch(/already registered/);

  const feRoot = installRoot({ "api/v2/operations.pyc": "changed locally" });
  const fe2Root = installRoot({ "api/v2/operations.pyc": "old bytecode" });
  const restart = `echo restarted > "${feRoot}/restarted.txt"`;

  // Not released yet: refused, nothing touched.
  const early = cli(
    cora,
    url,
    "hotfix",
    "apply",
    name,
    "--server",
    fe,
    "--root",
    feRoot,
    "--restart",
    restart,
  );
  expect(early.status).toBe(1);
  expect(early.err).toMatch(/not released/);
  const own = await request.get(`/api/v1/hotfixes/${name}/statement?kind=hotfix-release`, {
    headers: { authorization: `Bearer ${cora.token}` },
  });
  expect(own.status()).toBe(403);
  await signHotfix(request, ada, name, "kind=hotfix-release");

  // The back end runs another version; a file on the front end differs from the one the hotfix overrides.
  expect(
    cli(cora, url, "hotfix", "apply", name, "--server", be, "--root", fe2Root, "--restart", "true")
      .err,
  ).toMatch(/runs sshmgr 3\.0\.1/);
  const mismatch = cli(
    cora,
    url,
    "hotfix",
    "apply",
    name,
    "--server",
    fe,
    "--root",
    feRoot,
    "--restart",
    restart,
  );
  expect(mismatch.status).toBe(1);
  expect(mismatch.err.trim()).toBe(
    `File ${feRoot}/api/v2/operations.pyc: SHA-256 on disk ${sha("changed locally")} does not match what the hotfix expects to override: ${sha("old bytecode")}. The hotfix is not for this version of sshmgr (3.0.0) and cannot be applied.`,
  );
  expect(readFileSync(path.join(feRoot, "api/v2/operations.pyc"), "utf8")).toBe("changed locally");
  const failed = await (
    await request.get(`/api/v1/hotfixes/${name}`, {
      headers: { authorization: `Bearer ${ada.token}` },
    })
  ).json();
  expect(failed.applications).toMatchObject([{ server: fe, state: "FAILED" }]);

  // Fixed, it applies; the second front end waits for the first to be verified.
  writeFileSync(path.join(feRoot, "api/v2/operations.pyc"), "old bytecode");
  const applied = cli(
    cora,
    url,
    "hotfix",
    "apply",
    name,
    "--server",
    fe,
    "--root",
    feRoot,
    "--restart",
    restart,
  );
  expect(applied.status, applied.err).toBe(0);
  expect(readFileSync(path.join(feRoot, "api/v2/operations.pyc"), "utf8")).toBe("new bytecode");
  expect(readFileSync(path.join(feRoot, "restarted.txt"), "utf8")).toBe("restarted\n");
  const waiting = cli(
    carl,
    url,
    "hotfix",
    "apply",
    name,
    "--server",
    fe2,
    "--root",
    fe2Root,
    "--restart",
    "true",
  );
  expect(waiting.status).toBe(1);
  expect(waiting.err).toMatch(new RegExp(`on ${fe}, is not verified`));
  expect(readFileSync(path.join(fe2Root, "api/v2/operations.pyc"), "utf8")).toBe("old bytecode");

  const verify = await signHotfix(request, cora, name, `kind=hotfix-verify&server=${fe}&direct=1`);
  expect(verify).toMatch(/\ndirect: yes\nmax-processes-zero: no\n/);
  expect(
    cli(carl, url, "hotfix", "apply", name, "--server", fe2, "--root", fe2Root, "--restart", "true")
      .status,
  ).toBe(0);

  const servers = await (
    await request.get("/api/v1/servers", { headers: { authorization: `Bearer ${ada.token}` } })
  ).json();
  expect(servers.find((s: { slug: string }) => s.slug === fe).hotfixes).toEqual([
    { name, state: "VERIFIED" },
  ]);

  // Delete is refused while applied; unapply restores the exact bytes and removes what the hotfix added.
  const refused = await request.delete(`/api/v1/hotfixes/${name}`, {
    headers: { authorization: `Bearer ${cora.token}` },
  });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.message).toContain(`${fe}, ${fe2}`);
  writeFileSync(path.join(fe2Root, "api/v2/added.py"), "edited by hand");
  const changed = cli(carl, url, "hotfix", "unapply", name, "--server", fe2, "--root", fe2Root);
  expect(changed.status).toBe(1);
  expect(changed.err).toMatch(/changed since/);
  writeFileSync(path.join(fe2Root, "api/v2/added.py"), "print('added')");
  for (const [server, root] of [
    [fe2, fe2Root],
    [fe, feRoot],
  ]) {
    const r = cli(
      cora,
      url,
      "hotfix",
      "unapply",
      name,
      "--server",
      server,
      "--root",
      root,
      "--restart",
      "true",
    );
    expect(r.status, r.err).toBe(0);
    expect(readFileSync(path.join(root, "api/v2/operations.pyc"), "utf8")).toBe("old bytecode");
    expect(existsSync(path.join(root, "api/v2/added.py"))).toBe(false);
  }
  const deleted = await request.delete(`/api/v1/hotfixes/${name}`, {
    headers: { authorization: `Bearer ${cora.token}` },
  });
  expect(deleted.status()).toBe(204);
  expect(
    (
      await request.get(`/api/v1/hotfixes/${name}`, {
        headers: { authorization: `Bearer ${cora.token}` },
      })
    ).status(),
  ).toBe(404);
});
