import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse } from "../fixtures/test";
import * as openpgp from "openpgp";
import { createPerson, e2eEmail, type TE2EPerson } from "../fixtures/people";

// The standard patch process over the JSON API, as a script would drive it:
// statements are fetched from the server and signed here, in the test process.

type TSigner = TE2EPerson & { privateKey: string };

const SYSTEM = `api-webdb-${randomBytes(3).toString("hex")}`;
const auth = (p: TE2EPerson) => ({ authorization: `Bearer ${p.token}` });

async function signer(role: string): Promise<TSigner> {
  const email = e2eEmail(role);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ email }],
    format: "armored",
  });
  return { ...createPerson([role], { publicKey, email }), privateKey };
}

async function detachSign(privateKey: string, statement: string): Promise<string> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });
  return (await openpgp.sign({
    message: await openpgp.createMessage({ text: statement }),
    signingKeys,
    detached: true,
    format: "armored",
  })) as string;
}

function diff(tag: string): Buffer {
  return Buffer.from(
    `--- a/www/account.php\n+++ b/www/account.php\n@@ -10,3 +10,3 @@\n \t$query = "select * from domains";\n-\t$res = mysql_query($query);\n+\t$res = mysql_query($query); // ${tag}\n \tif (!$res) exit;\n`,
  );
}

function submit(
  request: APIRequestContext,
  who: TE2EPerson,
  bytes: Buffer,
  fields: Record<string, string> = {},
) {
  return request.post("/api/v1/patches", {
    headers: auth(who),
    multipart: {
      system: SYSTEM,
      title: "Fix domain listing",
      summary: "Revoked certs were hidden.",
      bugId: "1234",
      bugSummary: "No Servercerts listed",
      ...fields,
      diff: { name: "fix.diff", mimeType: "text/x-diff", buffer: bytes },
    },
  });
}

async function statement(
  request: APIRequestContext,
  who: TE2EPerson,
  patchId: string,
  kind: string,
  verdict?: string,
): Promise<string> {
  const res = await request.get(`/api/v1/patches/${patchId}/statement`, {
    headers: auth(who),
    params: { kind, ...(verdict ? { verdict } : {}) },
  });
  expect(res.status(), await res.text()).toBe(200);
  return res.text();
}

function postSignoff(request: APIRequestContext, who: TE2EPerson, patchId: string, body: unknown) {
  return request.post(`/api/v1/patches/${patchId}/signoffs`, { headers: auth(who), data: body });
}

/** Fetch, sign, record: one sign-off end to end. */
async function signoff(
  request: APIRequestContext,
  who: TSigner,
  patchId: string,
  kind: string,
  verdict?: string,
): Promise<APIResponse> {
  const text = await statement(request, who, patchId, kind, verdict);
  return postSignoff(request, who, patchId, {
    statement: text,
    signature: await detachSign(who.privateKey, text),
  });
}

async function errorOf(
  res: APIResponse,
  status: number,
): Promise<{ code: string; message: string }> {
  const body = await res.json();
  expect(res.status(), JSON.stringify(body)).toBe(status);
  return body.error;
}

let dev: TSigner, a1: TSigner, a2: TSigner, a3: TSigner, t1: TSigner, t2: TSigner, ca: TSigner;

test.beforeAll(async () => {
  execFileSync(
    process.execPath,
    ["bin/patchgate.mjs", "system", "add", "--slug", SYSTEM, "--name", "webdb (API e2e)"],
    { cwd: path.resolve(import.meta.dirname, "..", ".."), env: process.env },
  );
  [dev, a1, a2, a3, t1, t2, ca] = await Promise.all(
    ["developer", "assessor", "assessor", "assessor", "tester", "tester", "critical-admin"].map(
      signer,
    ),
  );
});

test("a patch goes from upload to deployed over the API", async ({ request }) => {
  const created = await submit(request, dev, diff("path"));
  expect(created.status()).toBe(201);
  const patch = await created.json();
  expect(patch).toMatchObject({
    revision: 1,
    state: "DRAFT",
    diffSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });

  const raw = await request.get(`/api/v1/patches/${patch.id}/diff`, { headers: auth(a1) });
  expect(raw.headers()["content-type"]).toBe("text/x-diff");
  expect(raw.headers()["x-diff-sha256"]).toBe(patch.diffSha256);
  expect(await raw.body()).toEqual(diff("path"));

  const early = await request.get(`/api/v1/patches/${patch.id}/statement`, {
    headers: auth(a1),
    params: { kind: "review", verdict: "approve" },
  });
  expect((await errorOf(early, 403)).message).toMatch(/draft/); // no review before the author signed the submission

  for (const [who, kind, verdict] of [
    [dev, "submit"],
    [a1, "review", "approve"],
    [a2, "review", "approve"],
    [t1, "test", "pass"],
    [t2, "test", "pass"],
    [a3, "request"],
  ] as const) {
    const res = await signoff(request, who, patch.id, kind, verdict);
    expect(res.status(), await res.text()).toBe(201);
  }
  expect(
    (await (await request.get(`/api/v1/patches/${patch.id}`, { headers: auth(ca) })).json()).state,
  ).toBe("REQUESTED");
  const queue = await (
    await request.get("/api/v1/patches", {
      headers: auth(ca),
      params: { state: "requested", system: SYSTEM },
    })
  ).json();
  expect(queue.patches.map((p: { id: string }) => p.id)).toEqual([patch.id]);

  expect(
    (await request.post(`/api/v1/patches/${patch.id}/deployment`, { headers: auth(ca) })).status(),
  ).toBe(201);
  const evidence: Record<number, object> = {
    3: { checksumMatched: true },
    4: { assessment: "Low risk: one query.", webServerStopped: false },
    5: { output: "patching file www/account.php", result: "clean" },
    6: { commitMessage: "Fix for bug #1234: No Servercerts listed" },
    7: { sha256sum: `${"ab".repeat(32)}  /home/cacert/www/tmp/cacert-2026-01-01.tar.gz` },
  };
  // X1: each tick is a `step` statement, issued for the evidence, signed here and posted back.
  for (let n = 1; n <= 9; n++) {
    const issued = await request.post(
      `/api/v1/patches/${patch.id}/deployment/steps/${n}/statement`,
      { headers: auth(ca), data: { evidence: evidence[n] ?? {} } },
    );
    expect(issued.status(), await issued.text()).toBe(200);
    const { statement: text, nonce, expiresAt, keyFingerprint } = await issued.json();
    expect(text).toContain(`\nkind: step\nverdict: done\n`);
    expect(text).toContain(`\nstep: ${n}\n`);
    expect({ nonce, expiresAt, keyFingerprint }).toMatchObject({
      nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
      keyFingerprint: expect.stringMatching(/^[0-9A-F]{40}$/),
    });
    const res = await request.post(`/api/v1/patches/${patch.id}/signoffs`, {
      headers: auth(ca),
      data: { statement: text, signature: await detachSign(ca.privateKey, text) },
    });
    expect(res.status(), await res.text()).toBe(201);
    expect(await res.json()).toMatchObject({
      kind: "step",
      type: "tick",
      number: n,
      status: "DONE",
    });
  }
  // The unsigned tick endpoint is gone.
  const gone = await request.post(`/api/v1/patches/${patch.id}/deployment/steps/9`, {
    headers: auth(ca),
    data: { evidence: {} },
  });
  expect([404, 405]).toContain(gone.status());
  // P7: the admin signs the notification's MIME part (GET the bytes, POST the signature); that queues steps 10–13.
  const part = await request.get(`/api/v1/patches/${patch.id}/deployment/notification`, {
    headers: auth(ca),
  });
  expect(part.status(), await part.text()).toBe(200);
  const signed = await request.post(`/api/v1/patches/${patch.id}/deployment/notification`, {
    headers: auth(ca),
    data: { signature: await detachSign(ca.privateKey, await part.text()) },
  });
  expect(signed.status(), await signed.text()).toBe(201);

  const view = await (
    await request.get(`/api/v1/patches/${patch.id}`, { headers: auth(dev) })
  ).json();
  expect(view).toMatchObject({
    state: "DEPLOYED",
    revision: 1,
    diffSha256: patch.diffSha256,
    system: { slug: SYSTEM },
    gates: { reviews: { have: 2, need: 2 }, tests: { have: 2, need: 2 } },
  });
  expect(
    view.signoffs.map((s: { kind: string; verdict: string }) => `${s.kind}:${s.verdict}`),
  ).toEqual([
    "submit:submit",
    "review:approve",
    "review:approve",
    "test:pass",
    "test:pass",
    "request:request",
  ]);
  expect(view.signoffs[1]).toMatchObject({
    signer: { email: a1.email },
    fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/),
    revision: 1,
    superseded: false,
  });
  expect(
    view.deployment.steps.slice(0, 9).every((s: { status: string }) => s.status === "DONE"),
  ).toBe(true);
  expect(view.deployment.steps[6].evidence).toMatchObject({
    tarball: "cacert-2026-01-01.tar.gz",
    tarballSha256: "ab".repeat(32),
  });
  expect(view.deployment.notification).toMatchObject({
    fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/),
  });
});

test("uploads: no token, not a diff, a missing field, too large", async ({ request }) => {
  const none = await request.post("/api/v1/patches", { multipart: { system: SYSTEM } });
  expect((await errorOf(none, 401)).code).toBe("UNAUTHENTICATED");

  const title = `Not a diff ${randomBytes(3).toString("hex")}`;
  const notDiff = await errorOf(
    await submit(request, dev, Buffer.from("just some text\n"), { title }),
    400,
  );
  expect(notDiff.code).toBe("VALIDATION");
  const missing = await errorOf(await submit(request, dev, diff("x"), { bugId: "" }), 400);
  expect(missing.message).toMatch(/bugId/);

  const huge = Buffer.alloc(Math.round(5.1 * 1024 * 1024), "+");
  expect((await errorOf(await submit(request, dev, huge, { title }), 413)).code).toBe(
    "PAYLOAD_TOO_LARGE",
  );

  const listed = await (
    await request.get("/api/v1/patches", {
      headers: auth(dev),
      params: { system: SYSTEM, limit: "100" },
    })
  ).json();
  expect(listed.patches.filter((p: { title: string }) => p.title === title)).toEqual([]); // nothing stored
});

test("refused sign-offs: wrong role, own patch, second vote, stale revision, bad statements, malformed JSON", async ({
  request,
}) => {
  const patch = await (await submit(request, dev, diff("refusals"))).json();
  expect((await signoff(request, dev, patch.id, "submit")).status()).toBe(201);
  const askFor = (who: TE2EPerson, id: string) =>
    request.get(`/api/v1/patches/${id}/statement`, {
      headers: auth(who),
      params: { kind: "review", verdict: "approve" },
    });

  // 403 before anything is issued: a tester asks to review; an assessor asks to review their own patch.
  expect((await errorOf(await askFor(t1, patch.id), 403)).message).toMatch(/assessors/);
  const own = await (await submit(request, a1, diff("own"))).json();
  expect((await signoff(request, a1, own.id, "submit")).status()).toBe(201);
  expect((await errorOf(await askFor(a1, own.id), 403)).message).toMatch(/author/);

  const text = await statement(request, a1, patch.id, "review", "approve");
  const second = await statement(request, a1, patch.id, "review", "approve");
  const signed = { statement: text, signature: await detachSign(a1.privateKey, text) };

  // 422: a modified statement, a signature by another user's key, a statement of another patch.
  const modified = text.replace("verdict: approve", "verdict: reject");
  expect(
    (
      await errorOf(
        await postSignoff(request, a1, patch.id, {
          statement: modified,
          signature: await detachSign(a1.privateKey, modified),
        }),
        422,
      )
    ).code,
  ).toBe("SIGNATURE_REFUSED");
  expect(
    (
      await errorOf(
        await postSignoff(request, a1, patch.id, {
          statement: text,
          signature: await detachSign(a2.privateKey, text),
        }),
        422,
      )
    ).code,
  ).toBe("SIGNATURE_REFUSED");
  expect((await errorOf(await postSignoff(request, a1, own.id, signed), 422)).message).toMatch(
    /another patch/,
  );

  // Accepted once; the same nonce again is 422; a second vote with a fresh nonce is 409.
  expect(await (await postSignoff(request, a1, patch.id, signed)).json()).toMatchObject({
    kind: "review",
    verdict: "approve",
    revision: 1,
  });
  expect((await errorOf(await postSignoff(request, a1, patch.id, signed), 422)).message).toMatch(
    /nonce/,
  );
  expect(
    (
      await errorOf(
        await postSignoff(request, a1, patch.id, {
          statement: second,
          signature: await detachSign(a1.privateKey, second),
        }),
        409,
      )
    ).code,
  ).toBe("CONFLICT");

  // 400: malformed JSON, and a body without a signature.
  const malformed = await request.post(`/api/v1/patches/${patch.id}/signoffs`, {
    headers: { ...auth(a2), "content-type": "application/json" },
    data: '{"statement": "x",',
  });
  expect((await errorOf(malformed, 400)).code).toBe("VALIDATION");
  expect(
    (await errorOf(await postSignoff(request, a2, patch.id, { statement: text }), 400)).message,
  ).toMatch(/signature/);

  // 409: with the review gate met, t1 fetched a test statement for revision 1; then revision 2 was uploaded.
  expect((await signoff(request, a2, patch.id, "review", "approve")).status()).toBe(201);
  const stale = await statement(request, t1, patch.id, "test", "pass");
  const r2 = await request.post(`/api/v1/patches/${patch.id}/revisions`, {
    headers: auth(dev),
    multipart: { diff: { name: "fix.diff", mimeType: "text/x-diff", buffer: diff("r2") } },
  });
  expect(await r2.json()).toMatchObject({ revision: 2, state: "DRAFT" });
  expect(
    (
      await errorOf(
        await postSignoff(request, t1, patch.id, {
          statement: stale,
          signature: await detachSign(t1.privateKey, stale),
        }),
        409,
      )
    ).message,
  ).toMatch(/revision 2/);

  const view = await (
    await request.get(`/api/v1/patches/${patch.id}`, { headers: auth(t1) })
  ).json();
  expect(
    view.signoffs.map((s: { kind: string; superseded: boolean }) => `${s.kind}:${s.superseded}`),
  ).toEqual(["submit:true", "review:true", "review:true"]);
  expect(view.gates).toEqual({ reviews: { have: 0, need: 2 }, tests: { have: 0, need: 2 } });
});

test("one sign-off request costs little server time", async ({ request }) => {
  const runs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const patch = await (await submit(request, dev, diff(`timing ${i}`))).json();
    const text = await statement(request, dev, patch.id, "submit");
    const body = { statement: text, signature: await detachSign(dev.privateKey, text) };
    const start = performance.now();
    const res = await postSignoff(request, dev, patch.id, body);
    runs.push(performance.now() - start);
    expect(res.status()).toBe(201);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const median = (sorted[9] + sorted[10]) / 2;
  test.info().annotations.push({ type: "signoff-median-ms", description: median.toFixed(1) });
  console.log(
    `POST signoffs over ${runs.length} runs: median ${median.toFixed(1)} ms, min ${sorted[0].toFixed(1)}, max ${sorted[19].toFixed(1)}`,
  );
  expect(median).toBeLessThan(1000);
});

test("the OpenAPI document is served without a token", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      "/api/v1/patches",
      "/api/v1/patches/{id}/signoffs",
      "/api/v1/me",
      "/api/health",
    ]),
  );
});

test("a review with line comments over the API: POST .../statement, signed, listed; a file not in the diff is 400", async ({
  request,
}) => {
  const patch = await (await submit(request, dev, diff("line-comments"))).json();
  expect((await signoff(request, dev, patch.id, "submit")).status()).toBe(201);
  const ask = (lineComments: unknown) =>
    request.post(`/api/v1/patches/${patch.id}/statement`, {
      headers: auth(a2),
      data: { kind: "review", verdict: "reject", comment: "See the line.", lineComments },
    });

  const refused = await errorOf(await ask([{ file: "www/other.php", line: 11, text: "x" }]), 400);
  expect(refused).toMatchObject({ code: "VALIDATION" });
  expect(refused.message).toMatch(/www\/other\.php is not in this diff/);

  const res = await ask([{ file: "www/account.php", line: 11, text: "Say why." }]);
  expect(res.status(), await res.text()).toBe(200);
  const text = await res.text();
  expect(text).toContain(
    'line-comment-1: {"file":"www/account.php","line":11,"text":"Say why."}\n',
  );
  const recorded = await postSignoff(request, a2, patch.id, {
    statement: text,
    signature: await detachSign(a2.privateKey, text),
  });
  expect(recorded.status(), await recorded.text()).toBe(201);
  const view = await (
    await request.get(`/api/v1/patches/${patch.id}`, { headers: auth(a2) })
  ).json();
  const review = view.signoffs.find((s: { kind: string }) => s.kind === "review");
  expect(review.lineComments).toEqual([{ file: "www/account.php", line: 11, text: "Say why." }]);
});

test("an unknown path under /api/v1 is a 404 in the error shape, whatever the method", async ({
  request,
}) => {
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
    const res = await request.fetch("/api/v1/no/such/endpoint", {
      method,
      data: method === "GET" || method === "DELETE" ? undefined : { x: 1 },
    });
    expect(res.status(), method).toBe(404);
    expect(res.headers()["content-type"]).toContain("application/json");
    expect((await res.json()).error.code).toBe("NOT_FOUND");
  }
});
