import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, type TSigner } from "../../../test/signers";
import { makePerson, makeToken } from "../../../test/factories";
import { startApiServer } from "../../../test/api-server";
import { hotfixArchive, sha256, tarGz } from "../../../test/hotfix-archives";
import { expectShape } from "../../../test/api-shape";
import { ZHotfix, ZHotfixServerStatus, ZServer } from "../../api/openapi-hotfixes";
import { addServer, listServers } from "./servers";
import { uploadHotfix } from "./upload-hotfix";
import { issueHotfixStatement, recordHotfixSignoff } from "./hotfix-statements";
import { reportApplication, reportUnapply, serverStatus } from "./applications";
import { deleteHotfix } from "./delete-hotfix";
import { getHotfix, listHotfixes } from "./list-hotfixes";

const FILE = "sshmgr-3.0.0-hotfix_frontend_fix_login_UKM-7.gz";
const NAME = "hotfix_frontend_fix_login";
const FILES = {
  "api/v2/operations.pyc": ["old", "new"],
  "api/v2/added.py": [null, "added"],
} as Record<string, [string | null, string]>;
const after = { "api/v2/operations.pyc": sha256("new"), "api/v2/added.py": sha256("added") };

let uploader: TSigner;
let releaser: TSigner;

async function sign(signer: TSigner, q: Parameters<typeof issueHotfixStatement>[0]) {
  const { statement } = await issueHotfixStatement(q);
  const signature = await detachSign(signer.privateKey, statement);
  return recordHotfixSignoff({ actor: signer, name: q.name, statement, signature });
}
const release = () => sign(releaser, { actor: releaser, name: NAME, kind: "hotfix-release" });
const apply = (server: string, by = uploader) =>
  reportApplication({
    actor: by,
    name: NAME,
    server,
    outcome: "APPLIED",
    restartCommand: "supervisorctl restart all",
    restartExit: 0,
    files: after,
  });
const verify = (server: string, by = uploader) =>
  sign(by, { actor: by, name: NAME, kind: "hotfix-verify", server, direct: "1" });

beforeEach(async () => {
  await resetDatabase();
  uploader = await makeSigner(["CRITICAL_ADMIN"]);
  releaser = await makeSigner(["ASSESSOR"]);
  for (const [slug, role, version] of [
    ["fe1", "frontend", "3.0.0"],
    ["fe2", "frontend", "3.0.0"],
    ["be1", "backend", "3.0.0"],
    ["old", "backend", "2.9.0"],
  ] as const)
    expectShape(
      ZServer,
      await addServer({ actor: uploader, slug, role, product: "sshmgr", version }),
    );
});

describe("upload (H1)", () => {
  it("registers a hotfix under its name", async () => {
    const bytes = await hotfixArchive(FILES);
    const h = await uploadHotfix({ actor: uploader, fileName: FILE, bytes });
    expect(h).toMatchObject({
      name: NAME,
      product: "sshmgr",
      version: "3.0.0",
      component: "frontend",
      description: "fix_login",
      issue: "UKM-7",
      sha256: sha256(bytes),
      state: "UPLOADED",
    });
    expect(h.files).toHaveLength(2);
    expectShape(ZHotfix, h);
    expectShape(z.array(ZHotfix), await listHotfixes({ actor: uploader }));
  });

  it.each([
    [
      "a name that does not parse",
      "sshmgr-3.0.0-fix_login.gz",
      () => hotfixArchive(FILES),
      /-hotfix_/,
    ],
    [
      "another version inside",
      FILE,
      () => hotfixArchive(FILES, { version: "3.0.1" }),
      /hotfix.json is for sshmgr 3.0.1/,
    ],
    [
      "a link",
      FILE,
      () => hotfixArchive(FILES, {}, [{ path: "files/x", type: "SymbolicLink", linkpath: "/etc" }]),
      /SymbolicLink/,
    ],
    [
      "a traversal",
      FILE,
      () => hotfixArchive(FILES, {}, [{ path: "files/../../x", body: "x" }]),
      /safe path/,
    ],
    ["not a gzip tar", FILE, async () => Buffer.from("hello"), /not a gzip-compressed tar/],
    ["an unlisted file", FILE, () => tarGz([{ path: "hotfix.json", body: "{}" }]), /hotfix.json/],
  ])("refuses %s and stores nothing", async (_l, fileName, make, message) => {
    await expect(uploadHotfix({ actor: uploader, fileName, bytes: await make() })).rejects.toThrow(
      message,
    );
    expect(await db.hotfix.count()).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "hotfix.uploaded" } })).toBe(0);
  });

  it("refuses a gzip bomb while it inflates, its memory bounded", async () => {
    // 300 MB of zeros in a tar entry compress to about 300 KB.
    const { createGzip } = await import("node:zlib");
    const { Readable } = await import("node:stream");
    const { Header } = await import("tar");
    const header = Buffer.alloc(512);
    new Header({ path: "files/zeros", type: "File", size: 300 * 1024 * 1024, mode: 0o644 }).encode(
      header,
    );
    const zeros = Readable.from(
      (function* () {
        yield header;
        for (let i = 0; i < 300; i++) yield Buffer.alloc(1024 * 1024);
      })(),
    );
    const chunks: Buffer[] = [];
    for await (const c of zeros.pipe(createGzip({ level: 1 }))) chunks.push(c as Buffer);
    const bomb = Buffer.concat(chunks);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);

    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    await expect(uploadHotfix({ actor: uploader, fileName: FILE, bytes: bomb })).rejects.toThrow(
      /unpacks to more than 200 MB/,
    );
    clearInterval(sampler);
    console.log(
      `gzip bomb of ${bomb.length} bytes: refused at the 200 MB cap, RSS grew ${Math.round((peak - before) / 1024 / 1024)} MB`,
    );
    expect(peak - before).toBeLessThan(256 * 1024 * 1024);
    expect(await db.hotfix.count()).toBe(0);
  });

  it("refuses a second hotfix of the same name with a conflict", async () => {
    await uploadHotfix({ actor: uploader, fileName: FILE, bytes: await hotfixArchive(FILES) });
    await expect(
      uploadHotfix({ actor: uploader, fileName: FILE, bytes: await hotfixArchive(FILES) }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("is for critical admins only", async () => {
    const assessor = await makePerson(["ASSESSOR"]);
    await expect(
      uploadHotfix({ actor: assessor, fileName: FILE, bytes: await hotfixArchive(FILES) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("release, staged apply, verify, unapply, delete (H3–H5)", () => {
  beforeEach(async () => {
    await uploadHotfix({ actor: uploader, fileName: FILE, bytes: await hotfixArchive(FILES) });
  });

  it("refuses the uploader's own release", async () => {
    await expect(
      issueHotfixStatement({ actor: uploader, name: NAME, kind: "hotfix-release" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses any application before the release", async () => {
    const status = await serverStatus({ actor: uploader, name: NAME, server: "fe1" });
    expect(status.mayApply).toMatchObject({
      ok: false,
      code: "NOT_RELEASED",
    });
    expectShape(ZHotfixServerStatus, status);
    await expect(apply("fe1")).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("rolls out in the staged order and keeps the record", async () => {
    const released = await release();
    expect(released.state).toBe("RELEASED");
    expect(released.release?.by).toBe(releaser.email);
    expectShape(ZHotfix, released);
    expectShape(
      ZHotfixServerStatus,
      await serverStatus({ actor: uploader, name: NAME, server: "fe1" }),
    );

    await expect(apply("be1")).rejects.toThrow(/goes to a front end first/);
    await expect(apply("old")).rejects.toThrow(/runs sshmgr 2.9.0/);
    expectShape(ZHotfix, await apply("fe1"));
    const applied = await serverStatus({ actor: uploader, name: NAME, server: "fe1" });
    expect(applied).toMatchObject({ state: "APPLIED", mayUnapply: { ok: true } });
    expectShape(ZHotfixServerStatus, applied);
    await expect(apply("fe1")).rejects.toThrow(/already applied/);
    await expect(apply("be1")).rejects.toThrow(/on fe1, is not verified/);
    await expect(
      sign(releaser, { actor: releaser, name: NAME, kind: "hotfix-verify", server: "fe1" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    const verified = await verify("fe1");
    expect(verified.applications).toMatchObject([{ server: "fe1", state: "VERIFIED" }]);
    expectShape(ZHotfix, verified);
    const signed = await db.signedStatement.findFirstOrThrow({ where: { kind: "hotfix-verify" } });
    expect(signed.statement).toMatch(
      /\nserver: fe1\n[\s\S]*\ndirect: yes\nmax-processes-zero: no\n/,
    );

    await apply("be1");
    const servers = await listServers({ actor: releaser });
    expect(servers.find((s) => s.slug === "be1")?.hotfixes).toEqual([
      { name: NAME, state: "APPLIED" },
    ]);
    expectShape(z.array(ZServer), servers);

    await expect(deleteHotfix({ actor: uploader, name: NAME })).rejects.toThrow(
      /still applied to fe1, be1/,
    );
    expectShape(
      ZHotfix,
      await reportUnapply({ actor: uploader, name: NAME, server: "be1", restartExit: 0 }),
    );
    await reportUnapply({
      actor: uploader,
      name: NAME,
      server: "fe1",
      restartCommand: "supervisorctl restart all",
      restartExit: 0,
    });
    await expect(reportUnapply({ actor: uploader, name: NAME, server: "fe1" })).rejects.toThrow(
      /not applied to fe1/,
    );
    const unverified = await verify("fe1");
    expect(unverified.applications.find((a) => a.server === "fe1")).toMatchObject({
      state: "UNAPPLIED",
    });
    expectShape(ZHotfix, unverified);

    await deleteHotfix({ actor: uploader, name: NAME });
    await expect(getHotfix({ actor: uploader, name: NAME })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const actions = (await db.auditEvent.findMany({ orderBy: { seq: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions.filter((a) => a.startsWith("hotfix."))).toEqual([
      "hotfix.uploaded",
      "hotfix.released",
      "hotfix.applied",
      "hotfix.verified",
      "hotfix.applied",
      "hotfix.unapplied",
      "hotfix.unapplied",
      "hotfix.verified",
      "hotfix.deleted",
    ]);
    // The name may be uploaded again once deleted.
    await uploadHotfix({ actor: uploader, fileName: FILE, bytes: await hotfixArchive(FILES) });
  });

  it("lets a failed application be tried again and does not count it as applied", async () => {
    await release();
    await reportApplication({
      actor: uploader,
      name: NAME,
      server: "fe1",
      outcome: "FAILED",
      error: "File /opt/sshmgr/api/v2/operations.pyc: SHA-256 on disk x does not match",
      restartCommand: "supervisorctl restart all",
    });
    const failed = await getHotfix({ actor: uploader, name: NAME });
    expect(failed.applications).toMatchObject([
      { server: "fe1", state: "FAILED", error: expect.stringMatching(/does not match/) },
    ]);
    expectShape(ZHotfix, failed);
    await apply("fe1");
    expect((await getHotfix({ actor: uploader, name: NAME })).applications).toMatchObject([
      { server: "fe1", state: "APPLIED", error: null },
    ]);
  });

  it("refuses a report whose files are not the hotfix's", async () => {
    await release();
    await expect(
      reportApplication({
        actor: uploader,
        name: NAME,
        server: "fe1",
        outcome: "APPLIED",
        restartCommand: "r",
        files: { ...after, "api/v2/added.py": sha256("other") },
      }),
    ).rejects.toThrow(/do not match the hotfix: api\/v2\/added.py/);
  });

  it("lets only one of two concurrent first applications through", async () => {
    await release();
    const results = await Promise.allSettled([apply("fe1"), apply("fe2")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.hotfixApplication.count()).toBe(1);
  });
});

describe("the routes' own parsing: the upload form and the statement query", () => {
  let api: Awaited<ReturnType<typeof startApiServer>>;
  beforeAll(async () => {
    api = await startApiServer();
  });
  afterAll(async () => {
    await api?.close();
  });
  const call = async (token: string, p: string, init: RequestInit = {}) => {
    const res = await fetch(`${api.url}/api/v1${p}`, {
      ...init,
      headers: { authorization: `Bearer ${token}` },
    });
    const type = res.headers.get("content-type") ?? "";
    return {
      status: res.status,
      body: type.includes("json") ? await res.json() : await res.text(),
    };
  };
  const form = (file: Blob | string, name?: string) => {
    const f = new FormData();
    if (typeof file === "string") f.set("file", file);
    else f.set("file", file, name);
    return { method: "POST", body: f };
  };

  it("uploads a file part, refuses a text part, and issues a statement from the query", async () => {
    const up = await makeToken(uploader);
    const text = await call(up, "/hotfixes", form("not a file"));
    expect(text).toMatchObject({ status: 400, body: { error: { code: "VALIDATION" } } });
    expect(text.body.error.message).toMatch(/^file: attach the hotfix file itself/);

    const bytes = await hotfixArchive(FILES);
    const created = await call(up, "/hotfixes", form(new Blob([Buffer.from(bytes)]), FILE));
    expect(created.status).toBe(201);
    expectShape(ZHotfix, created.body);
    expect(created.body).toMatchObject({ name: NAME, sha256: sha256(bytes) });

    const rel = await makeToken(releaser);
    for (const q of [
      "kind=nope",
      "kind=hotfix-release&key=xyz",
      "kind=hotfix-release&direct=maybe",
    ])
      expect((await call(rel, `/hotfixes/${NAME}/statement?${q}`)).status, q).toBe(400);
    const statement = await call(
      rel,
      `/hotfixes/${NAME}/statement?kind=hotfix-release&comment=ok&key=${releaser.fingerprint.toLowerCase()}`,
    );
    expect(statement.status).toBe(200);
    expect(statement.body).toMatch(/^kind: hotfix-release$/m);
    expect(statement.body).toMatch(new RegExp(`^key-fingerprint: ${releaser.fingerprint}$`, "m"));
    expect(statement.body).toMatch(/\n\nok\n$/);
    await release();
    await apply("fe1");
    const verifyStatement = await call(
      up,
      `/hotfixes/${NAME}/statement?kind=hotfix-verify&server=fe1&direct=1`,
    );
    expect(verifyStatement.body).toMatch(/^direct: yes\nmax-processes-zero: no$/m);

    const servers = await call(rel, "/servers");
    expectShape(z.array(ZServer), servers.body);
    const status = await call(rel, `/hotfixes/${NAME}/servers/fe1`);
    expect(status.body).toMatchObject({ state: "APPLIED", mayApply: { ok: false } });
    expectShape(ZHotfixServerStatus, status.body);
  });
});
