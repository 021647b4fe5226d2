import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makeToken } from "../../../test/factories";
import { makeSigner } from "../../../test/signers";
import { startApiServer } from "../../../test/api-server";
import { expectShape } from "../../../test/api-shape";
import { ZLogConsistencyProof, ZLogInclusionProof, ZLogLeaves } from "../../api/openapi-log";
import { ZApiError } from "../../api/openapi-parts";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { verifyConsistency, verifyInclusion, leafHash } from "../../crypto/merkle";
import { verifyCheckpoint } from "../../crypto/checkpoint";
import { appendAuditEvent } from "../audit/append-event";
import { portalPublicKey } from "../portal-key/portal-key";

// The log's routes as a monitor or a verifier calls them: the route modules Next serves,
// behind a plain HTTP server; public ones without a token.

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
});
beforeEach(resetDatabase);

async function write(n: number) {
  for (let i = 0; i < n; i++)
    await db.$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: CLI_BOOTSTRAP,
        action: "user.enabled",
        subjectType: "user",
        subjectId: `u${i}`,
        payload: {},
      }),
    );
}

const get = (p: string, token?: string) =>
  fetch(`${api.url}${p}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
const b = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

async function checkpoint() {
  const res = await get("/api/v1/log/checkpoint");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return res.text();
}

describe("the log API", () => {
  it("serves checkpoints, the note key and proofs that verify between two checkpoints", async () => {
    await write(6);
    const vkey = (await (await get("/api/v1/log/key")).text()).trim();
    const first = verifyCheckpoint(await checkpoint(), vkey);
    expect(first.treeSize).toBe(6);
    await write(9);
    const note = await checkpoint();
    // Fetched before anything else writes an event: it signs the same checkpoint.
    const asc = await (await get("/api/v1/log/checkpoint.asc")).text();
    const second = verifyCheckpoint(note, vkey);
    expect(second.treeSize).toBe(15);

    const inc = await (await get("/api/v1/log/proof/inclusion?index=4&size=15")).json();
    expect(inc).toMatchObject({ index: 4, treeSize: 15 });
    expectShape(ZLogInclusionProof, inc);
    expect(verifyInclusion(b(inc.leafHash), 4, 15, inc.proof.map(b), second.rootHash)).toBe(true);
    const con = await (await get("/api/v1/log/proof/consistency?from=6&to=15")).json();
    expect(con).toMatchObject({ from: 6, to: 15 });
    expectShape(ZLogConsistencyProof, con);
    expect(verifyConsistency(6, 15, con.proof.map(b), first.rootHash, second.rootHash)).toBe(true);

    // The leaf the proof is for is the event the leaves route returns.
    const reader = await makeSigner(["ADMIN"]);
    const answer = await (
      await get("/api/v1/log/leaves?start=4&end=5", await makeToken(reader))
    ).json();
    expectShape(ZLogLeaves, answer);
    const { leaves } = answer;
    expect(leaves).toHaveLength(1);
    expect(leaves[0]).toMatchObject({ index: 4, seq: "5", event: { seq: "5", subjectId: "u4" } });
    expect(Buffer.from(leafHash(b(leaves[0].leaf))).toString("base64")).toBe(inc.leafHash);

    // Stock gpg verifies the detached signature over the served bytes with the portal key.
    const dir = mkdtempSync(path.join(tmpdir(), "log-gpg-"));
    try {
      writeFileSync(path.join(dir, "portal.asc"), (await portalPublicKey()).publicArmored);
      writeFileSync(path.join(dir, "checkpoint"), note);
      writeFileSync(path.join(dir, "checkpoint.asc"), asc);
      const env = { ...process.env, GNUPGHOME: dir };
      execFileSync("gpg", ["--batch", "--quiet", "--import", path.join(dir, "portal.asc")], {
        env,
        stdio: "ignore",
      });
      const out = execFileSync(
        "gpg",
        [
          "--batch",
          "--status-fd",
          "1",
          "--verify",
          path.join(dir, "checkpoint.asc"),
          path.join(dir, "checkpoint"),
        ],
        { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
      );
      expect(out).toMatch(/\[GNUPG:\] GOODSIG/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers bad parameters with 400 in the error shape", async () => {
    await write(3);
    await checkpoint();
    for (const q of [
      "/api/v1/log/proof/inclusion?index=3&size=3",
      "/api/v1/log/proof/inclusion?index=0&size=4",
      "/api/v1/log/proof/inclusion?index=x&size=3",
      "/api/v1/log/proof/inclusion?size=3",
      "/api/v1/log/proof/consistency?from=0&to=3",
      "/api/v1/log/proof/consistency?from=3&to=2",
      "/api/v1/log/proof/consistency?from=-1&to=2",
    ]) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      const body = await res.json();
      expect(body.error, q).toMatchObject({ code: "VALIDATION" });
      expectShape(ZApiError, body);
    }
    const token = await makeToken(await makeSigner(["ADMIN"]));
    for (const q of ["?start=2&end=2", "?start=0&end=1001", "?start=a&end=2"]) {
      const res = await get(`/api/v1/log/leaves${q}`, token);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code).toBe("VALIDATION");
    }
  });

  it("gives leaves only to those allowed to read the audit log", async () => {
    await write(2);
    expect((await get("/api/v1/log/leaves?start=0&end=2")).status).toBe(401);
    expect((await get("/api/v1/log/leaves?start=0&end=2", "pg_not-a-token")).status).toBe(401);
    const dev = await makeToken(await makeSigner(["DEVELOPER"]));
    const res = await get("/api/v1/log/leaves?start=0&end=2", dev);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
    const admin = await makeToken(await makeSigner(["ADMIN"]), { scope: "READ" });
    const ok = await get("/api/v1/log/leaves?start=0&end=2", admin);
    expect(ok.status).toBe(200);
    expect((await ok.json()).leaves.map((l: { seq: string }) => l.seq)).toEqual(["1", "2"]);
  });
});
