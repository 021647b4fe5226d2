import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { readFileSync, rmSync } from "node:fs";
import { db } from "../db";
import { sha256Hex } from "../crypto/hash";
import { resetDatabase } from "../../test/reset";
import { makeToken } from "../../test/factories";
import { addProcessSystems, makeTeam, requestedPatch, type TTeam } from "../../test/process";
import { detachSign } from "../../test/signers";
import { tickedUpTo, tickStep } from "../../test/steps";
import { expectRefusal, expectShape } from "../../test/api-shape";
import { startApiServer } from "../../test/api-server";
import { uploadedTarballPath } from "../server/deployments/tarball-store";
import { ZIssuedStatement } from "./deployment-answers";
import { ZTarballStored } from "./tarball-upload";

// POST /api/v1/patches/{id}/deployment/tarball as a client calls it: step 7's
// tarball over the API (the deployment page's upload, through the same
// use-case), its refusals in the error shape with the documented statuses, and
// the stored hash ticking step 7 by API alone.

// env() is parsed once, when the first import reads it: set the upload folder before any import.
const tarballDir = vi.hoisted(() => {
  const dir = `/tmp/patchgate-api-upload-${process.pid}-${Date.now()}`;
  process.env.TARBALL_DIR = dir;
  process.env.MAX_TARBALL_BYTES = String(64 * 1024);
  return dir;
});

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
  rmSync(tarballDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDatabase();
  await addProcessSystems();
});

const TARBALL = "cacert-20261202.tar.gz";
const bytes = new TextEncoder().encode("the new source tarball\n".repeat(100));

const upToStep = (t: TTeam, last: number) => tickedUpTo(t, last);

function upload(
  token: string | null,
  patchId: string,
  body: Uint8Array,
  query = `?name=${TARBALL}`,
) {
  return fetch(
    `${api.url}/api/v1/patches/${encodeURIComponent(patchId)}/deployment/tarball${query}`,
    {
      method: "POST",
      headers: {
        "content-type": "application/octet-stream",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: new Uint8Array(body),
    },
  );
}

describe("POST /api/v1/patches/{id}/deployment/tarball (P9)", () => {
  it("refuses who may not upload now, in the error shape, and stores nothing", async () => {
    const t = await makeTeam();
    const p = await upToStep(t, 5);
    const ca1 = await makeToken(t.ca1);

    await expectRefusal(await upload(null, p.id, bytes), 401, "UNAUTHENTICATED");
    await expectRefusal(
      await upload(await makeToken(t.ca1, { scope: "READ" }), p.id, bytes),
      403,
      "FORBIDDEN",
    );
    // A tester may not tick steps; a critical admin may not before step 6 is done.
    await expectRefusal(await upload(await makeToken(t.t1), p.id, bytes), 403, "FORBIDDEN");
    await expectRefusal(await upload(ca1, p.id, bytes), 403, "FORBIDDEN");
    // No deployment record for a patch that was only requested; no such patch at all.
    const other = await requestedPatch(t);
    await expectRefusal(await upload(ca1, other.id, bytes), 404, "NOT_FOUND");
    await expectRefusal(await upload(ca1, "cm0nosuchpatch000000000000", bytes), 404, "NOT_FOUND");
    // The name is a plain file name, and required.
    await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 6,
      evidence: { commitMessage: "Fix for bug #1234" },
    });
    await expectRefusal(await upload(ca1, p.id, bytes, "?name=..%2Fx.tar.gz"), 400, "VALIDATION");
    await expectRefusal(await upload(ca1, p.id, bytes, ""), 400, "VALIDATION");
    await expectRefusal(await upload(ca1, p.id, new Uint8Array(0)), 400, "VALIDATION");
    // Above MAX_TARBALL_BYTES: 413 from Content-Length, before a byte is read.
    await expectRefusal(
      await upload(ca1, p.id, new Uint8Array(64 * 1024 + 1)),
      413,
      "PAYLOAD_TOO_LARGE",
    );

    expect(await db.auditEvent.count({ where: { action: "deployment.tarball-uploaded" } })).toBe(0);
  });

  it("stores the bytes under their SHA-256, and step 7 is ticked with them over the API", async () => {
    const t = await makeTeam();
    const p = await upToStep(t, 6);
    const token = await makeToken(t.ca1);

    const res = await upload(token, p.id, bytes);
    expect(res.status).toBe(201);
    const stored = await res.json();
    expectShape(ZTarballStored, stored);
    expect(stored).toEqual({ name: TARBALL, sha256: sha256Hex(bytes), bytes: bytes.length });
    expect(readFileSync(uploadedTarballPath(tarballDir, sha256Hex(bytes)))).toEqual(
      Buffer.from(bytes),
    );

    const post = (path: string, body: unknown) =>
      fetch(`${api.url}/api/v1/patches/${p.id}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    let r = await post("/deployment/steps/7/statement", {
      evidence: { tarball: stored.name, tarballSha256: stored.sha256 },
    });
    expect(r.status).toBe(200);
    const issued = await r.json();
    expectShape(ZIssuedStatement, issued);
    r = await post("/signoffs", {
      statement: issued.statement,
      signature: await detachSign(t.ca1.privateKey, issued.statement),
    });
    expect(r.status, await r.clone().text()).toBe(201);

    // Step 7 is recorded: another upload is refused (409), and nothing is audited twice.
    await expectRefusal(await upload(token, p.id, bytes), 409, "CONFLICT");
    expect(await db.auditEvent.count({ where: { action: "deployment.tarball-uploaded" } })).toBe(1);
  });
});
