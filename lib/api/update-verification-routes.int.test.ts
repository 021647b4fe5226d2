import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "../db";
import { resetDatabase } from "../../test/reset";
import { makeToken } from "../../test/factories";
import { makeSigner } from "../../test/signers";
import { startApiServer } from "../../test/api-server";
import { makeApprovedRecord } from "../../test/update-verification";
import { expectShape } from "../../test/api-shape";
import { ZHttpsCheck, ZHttpsHost, ZSeriesEvidence } from "./openapi-update-verification";

// The per-series verification routes (S3) as a client calls them: the route modules Next
// serves, behind a plain HTTP server, with personal API tokens.

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
});
beforeEach(async () => {
  await resetDatabase();
});

function call(token: string, method: string, path: string, body?: unknown) {
  return fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("the verification API", () => {
  it("allow-list, HTTPS check and evidence over HTTP, with their statuses", async () => {
    const [admin, tester, submitter] = await Promise.all([
      makeSigner(["ADMIN"]),
      makeSigner(["TESTER"]),
      makeSigner(["ASSESSOR"]),
    ]);
    const [adminToken, testerToken] = await Promise.all([makeToken(admin), makeToken(tester)]);
    const { record } = await makeApprovedRecord(submitter);
    const series = `/api/v1/updates/${record.id}/series/jammy`;

    // Not listed: 403 with the words, and nothing written.
    let res = await call(testerToken, "POST", `${series}/https-check`, {
      url: "https://certbot-jammy.example.org/",
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe(
      "certbot-jammy.example.org is not on the HTTPS-check allow-list; an admin adds it under Admin → HTTPS hosts.",
    );
    res = await call(testerToken, "POST", "/api/v1/https-hosts", { host: "example.org" });
    expect(res.status).toBe(403);
    res = await call(adminToken, "POST", "/api/v1/https-hosts", {
      host: "certbot-jammy.example.org",
      note: "jammy test VM",
    });
    expect(res.status).toBe(201);
    expectShape(ZHttpsHost, await res.json());
    res = await call(adminToken, "POST", "/api/v1/https-hosts", {
      host: "certbot-jammy.example.org",
    });
    expect(res.status).toBe(200);
    expectShape(ZHttpsHost, await res.json());
    res = await call(testerToken, "GET", "/api/v1/https-hosts");
    const listed = await res.json();
    expectShape(z.object({ hosts: z.array(ZHttpsHost) }), listed);
    expect(listed.hosts.map((h: { host: string }) => h.host)).toEqual([
      "certbot-jammy.example.org",
    ]);

    res = await call(testerToken, "POST", `${series}/https-check`, {
      url: "http://certbot-jammy.example.org/",
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe("only https URLs are checked");
    res = await call(testerToken, "POST", `${series}/https-check`, {
      url: "https://certbot-jammy.example.org:8443/",
      server: "nginx",
    });
    expect(res.status).toBe(202);
    const check = await res.json();
    expect(check).toMatchObject({ state: "PENDING", server: "nginx", port: 8443, trust: "system" });
    expectShape(ZHttpsCheck, check);
    res = await call(testerToken, "GET", `${series}/https-check`);
    const checks = await res.json();
    expectShape(z.object({ checks: z.array(ZHttpsCheck) }), checks);
    expect(checks.checks.map((c: { id: string }) => c.id)).toEqual([check.id]);
    expect(await db.outbox.count({ where: { kind: "update.https-check" } })).toBe(1);

    res = await call(testerToken, "POST", `${series}/evidence`, {
      kind: "smoke",
      url: "https://autopkgtest.ubuntu.com/results/jammy/python-certbot/log.gz",
      result: "pass",
    });
    expect(res.status).toBe(201);
    const smoke = await res.json();
    expect(smoke).toMatchObject({ kind: "smoke", ok: true, series: "jammy" });
    expectShape(ZSeriesEvidence, smoke);
    res = await call(testerToken, "POST", `${series}/evidence`, { kind: "photo" });
    expect(res.status).toBe(400);
    res = await call(testerToken, "POST", `/api/v1/updates/${record.id}/series/bionic/evidence`, {
      kind: "smoke",
      url: "https://example.org/log",
      result: "pass",
    });
    expect(res.status).toBe(400);

    res = await call(adminToken, "DELETE", "/api/v1/https-hosts/certbot-jammy.example.org");
    expect(res.status).toBe(204);
    res = await call(adminToken, "DELETE", "/api/v1/https-hosts/certbot-jammy.example.org");
    expect(res.status).toBe(404);
  });
});
