import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../test/reset";
import { makePerson, makeToken } from "../../test/factories";
import {
  addProcessSystems,
  makeTeam,
  PATCH_FIELDS,
  recordVisit,
  requestedPatch,
} from "../../test/process";
import { detachSign } from "../../test/signers";
import { sampleDiff } from "../../test/diffs";
import { documentedStatuses, expectRefusal, expectShape } from "../../test/api-shape";
import { startApiServer } from "../../test/api-server";
import {
  ZPatch,
  ZPatchCreated,
  ZPatchPage,
  ZRevisionCreated,
  ZSignoffReceipt,
} from "./patch-answers";
import { ZDeploymentOpened, ZIssuedStatement } from "./deployment-answers";

// The patch routes as a client calls them (the route modules Next serves, behind
// a plain HTTP server): each answer has the shape the OpenAPI document gives it,
// and the query, form and JSON inputs are parsed by the schemas it shows.

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
});
beforeEach(async () => {
  await resetDatabase();
  await addProcessSystems();
});

describe("the patch API", () => {
  it("submits, lists, signs, revises and reads a patch with the documented answers", async () => {
    const t = await makeTeam();
    const token = await makeToken(t.dev);
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${api.url}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
      });
    const form = (diff: Uint8Array, fields: Record<string, string> = {}) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      f.set("diff", new Blob([new Uint8Array(diff)]), "fix.diff");
      return f;
    };

    let res = await call("/patches", {
      method: "POST",
      body: form(sampleDiff(), { system: "webdb", ...PATCH_FIELDS }),
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expectShape(ZPatchCreated, created);

    res = await call("/patches?state=draft&system=webdb&limit=5");
    expect(res.status).toBe(200);
    const page = await res.json();
    expect(page.patches.map((p: { id: string }) => p.id)).toEqual([created.id]);
    expectShape(ZPatchPage, page);

    // GET .../statement: the query as documented (kind, key; a bad key is a 400).
    res = await call(`/patches/${created.id}/statement?kind=submit&key=nothex`);
    expect(res.status).toBe(400);
    res = await call(
      `/patches/${created.id}/statement?kind=submit&key=${t.dev.fingerprint.toLowerCase()}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-key-fingerprint")).toBe(t.dev.fingerprint);
    const statement = await res.text();
    res = await call(`/patches/${created.id}/signoffs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ statement, signature: await detachSign(t.dev.privateKey, statement) }),
    });
    expect(res.status).toBe(201);
    expectShape(ZSignoffReceipt, await res.json());

    // POST .../statement: the JSON body as documented.
    res = await call(`/patches/${created.id}/statement`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "withdraw", comment: "Not needed." }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/\nkind: withdraw\n/);

    res = await call(`/patches/${created.id}/revisions`, {
      method: "POST",
      body: form(sampleDiff("2")),
    });
    expect(res.status).toBe(201);
    expectShape(ZRevisionCreated, await res.json());
    res = await call(`/patches/${created.id}/revisions`, {
      method: "POST",
      body: (() => {
        const f = new FormData();
        f.set("diff", "not a file part");
        return f;
      })(),
    });
    expect(res.status).toBe(400);

    res = await call(`/patches/${created.id}/diff?revision=1`);
    expect(res.headers.get("x-revision")).toBe("1");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(sampleDiff());

    res = await call(`/patches/${created.id}`);
    expect(res.status).toBe(200);
    const patch = await res.json();
    expect(patch).toMatchObject({ revision: 2, state: "DRAFT" });
    expectShape(ZPatch, patch);
  });

  it("opens a deployment and issues step statements with the documented answers", async () => {
    const t = await makeTeam();
    const p = await requestedPatch(t, "signer");
    const token = await makeToken(t.ca1);
    const post = (path: string, body?: unknown) =>
      fetch(`${api.url}/api/v1/patches/${p.id}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    let res = await post("/deployment");
    expect(res.status).toBe(201);
    expectShape(ZDeploymentOpened, await res.json());
    await recordVisit(p.id, [t.ca1, t.ca2, t.ae]);

    res = await post("/deployment/steps/3/applicability/statement", {
      applicable: false,
      reason: "not needed",
    });
    expect(res.status).toBe(200);
    expectShape(ZIssuedStatement, await res.json());
    res = await post("/deployment/steps/1/statement", { evidence: {} });
    expect(res.status).toBe(403); // the decisions on 3–7 come first
    res = await post("/deployment/steps/1/statement", { evidence: [] });
    expect(res.status).toBe(400);

    // GET .../notification: the `key` query is parsed; the part waits for the steps by hand.
    res = await fetch(
      `${api.url}/api/v1/patches/${p.id}/deployment/notification?key=${t.ca1.fingerprint}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(403);
  });
});

/** A refusal in the error shape, with a status the document lists for the operation. */
async function expectDocumentedRefusal(
  res: Response,
  op: [path: string, method: string],
  status: number,
  code: string,
) {
  await expectRefusal(res, status, code);
  expect(documentedStatuses(...op)).toContain(String(status));
}

describe("the patch API's refusals are the documented ones", () => {
  it("403 for a reader without roles, 409 for a sign-off already made, 413 past the JSON cap", async () => {
    const t = await makeTeam();
    const p = await requestedPatch(t);
    const call = (token: string, path: string, init: RequestInit = {}) =>
      fetch(`${api.url}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
      });

    // An account with no role yet (or whose roles were revoked) reads nothing.
    const nobody = await makeToken(await makePerson([]));
    const reads: [string, string][] = [
      ["/patches", "/api/v1/patches"],
      [`/patches/${p.id}`, "/api/v1/patches/{id}"],
      [`/patches/${p.id}/diff`, "/api/v1/patches/{id}/diff"],
      [`/patches/${p.id}/evidence`, "/api/v1/patches/{id}/evidence"],
    ];
    for (const [url, op] of reads)
      await expectDocumentedRefusal(await call(nobody, url), [op, "get"], 403, "FORBIDDEN");

    // The request was signed already: neither way of asking issues it again.
    const a3 = await makeToken(t.a3);
    await expectDocumentedRefusal(
      await call(a3, `/patches/${p.id}/statement?kind=request`),
      ["/api/v1/patches/{id}/statement", "get"],
      409,
      "CONFLICT",
    );
    await expectDocumentedRefusal(
      await call(a3, `/patches/${p.id}/statement`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: "request" }),
      }),
      ["/api/v1/patches/{id}/statement", "post"],
      409,
      "CONFLICT",
    );

    // A JSON body above 1 MiB is refused before it is parsed.
    const big = JSON.stringify({ statement: "x".repeat(1024 * 1024), signature: "y" });
    for (const [url, op] of [
      [`/patches/${p.id}/signoffs`, "/api/v1/patches/{id}/signoffs"],
      [`/patches/${p.id}/statement`, "/api/v1/patches/{id}/statement"],
    ])
      await expectDocumentedRefusal(
        await call(a3, url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: big,
        }),
        [op, "post"],
        413,
        "PAYLOAD_TOO_LARGE",
      );
  });
});
