import { mkdtempSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";
import { makeCorpus, type TCorpus } from "../../test/update-corpus";

// U1–U3 over the real API: an installation, its trusted certificate, packages
// kept whatever they are, quarantine (content 409 with the reason), replacing
// the certificate and re-verifying, as a script would with curl.

let corpus: TCorpus;
test.beforeAll(async () => {
  corpus = await makeCorpus(mkdtempSync(path.join(tmpdir(), "patchgate-e2e-corpus-")));
});

const file = (p: string, name = path.basename(p)) => ({
  name,
  mimeType: "application/octet-stream",
  buffer: readFileSync(p),
});

test("packages are kept, quarantined with their reason, and verified after the certificate is replaced", async ({
  request,
}) => {
  test.setTimeout(90_000);
  const admin = createPerson(["critical_admin"]);
  const host = createPerson(["assessor"]);
  const auth = { authorization: `Bearer ${admin.token}` };
  const hostAuth = { authorization: `Bearer ${host.token}` };
  const slug = `os4x-${randomBytes(3).toString("hex")}`;

  const created = await request.post("/api/v1/installations", {
    headers: auth,
    data: { slug, name: "OS4X production", product: "OS4X", mode: "manual", enterprise: true },
  });
  expect(created.status(), await created.text()).toBe(201);
  const again = await request.post("/api/v1/installations", {
    headers: auth,
    data: { slug, name: "again", product: "OS4X", mode: "manual" },
  });
  expect(again.status()).toBe(409);

  const trust = await request.post(`/api/v1/installations/${slug}/certificates`, {
    headers: auth,
    multipart: { certificate: file(corpus.cas.oldVendor.certPath, "old.cer") },
  });
  expect(trust.status(), await trust.text()).toBe(201);
  const old = await trust.json();
  expect(old).toMatchObject({
    subject: "CN=c-works software update CA, O=c-works",
    selfSigned: true,
    notAfter: corpus.cas.oldVendor.notAfter.toISOString(),
  });
  const twice = await request.post(`/api/v1/installations/${slug}/certificates`, {
    headers: auth,
    multipart: { certificate: file(corpus.cas.oldVendor.certPath) },
  });
  expect(twice.status()).toBe(200);
  expect(await twice.json()).toEqual(old);

  const shown = await (
    await request.get(`/api/v1/installations/${slug}`, { headers: hostAuth })
  ).json();
  expect(shown).toMatchObject({ slug, mode: "manual", enterprise: true, certificates: [old] });

  // Not a signed package: still kept and answered 201.
  const junk = await request.post(`/api/v1/installations/${slug}/packages`, {
    headers: auth,
    multipart: {
      package: { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello\n") },
    },
  });
  expect(junk.status(), await junk.text()).toBe(201);
  expect(await junk.json()).toMatchObject({
    state: "QUARANTINED",
    reason: expect.stringContaining("not a signed package"),
  });

  const missing = await request.post(`/api/v1/installations/${slug}/packages`, {
    headers: auth,
    multipart: { other: "x" },
  });
  expect(missing.status()).toBe(400);

  const up = await request.post(`/api/v1/installations/${slug}/packages`, {
    headers: auth,
    multipart: {
      package: file(corpus.packages.validDer.path, "os4x3_full_pe_Linux-x86.sh.signed"),
    },
  });
  expect(up.status(), await up.text()).toBe(201);
  const pkg = await up.json();
  expect(pkg).toMatchObject({
    state: "QUARANTINED",
    signer: { subject: "CN=c-works software update 2026, O=c-works" },
  });
  expect(pkg.reason).toContain("probably not the current one");

  const refused = await request.get(`/api/v1/packages/${pkg.id}/content`, { headers: hostAuth });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error).toEqual({ code: "CONFLICT", message: pkg.reason });

  // The host may not re-verify; the admin replaces the certificate and does.
  expect(
    (await request.post(`/api/v1/packages/${pkg.id}/verify`, { headers: hostAuth })).status(),
  ).toBe(403);
  const replaced = await request.post(`/api/v1/installations/${slug}/certificates`, {
    headers: auth,
    multipart: { certificate: file(corpus.cas.vendor.certPath) },
  });
  expect(replaced.status()).toBe(201);
  const removed = await request.delete(`/api/v1/installations/${slug}/certificates/${old.sha256}`, {
    headers: auth,
  });
  expect(removed.status()).toBe(204);
  const verified = await request.post(`/api/v1/packages/${pkg.id}/verify`, { headers: auth });
  expect(verified.status(), await verified.text()).toBe(200);
  expect(await verified.json()).toMatchObject({ id: pkg.id, state: "VERIFIED", reason: null });

  const content = await request.get(`/api/v1/packages/${pkg.id}/content`, { headers: hostAuth });
  expect(content.status()).toBe(200);
  expect(content.headers()["content-type"]).toBe("application/octet-stream");
  expect(Buffer.from(await content.body())).toEqual(Buffer.from(corpus.content));

  const detail = await (
    await request.get(`/api/v1/packages/${pkg.id}`, { headers: hostAuth })
  ).json();
  expect(detail).toMatchObject({
    channel: "API",
    installation: { slug },
    update: { mode: "manual", state: "IN_PROGRESS" },
  });
  expect(detail.verdicts.map((v: { state: string }) => v.state)).toEqual([
    "QUARANTINED",
    "VERIFIED",
  ]);

  // Both uploads came through the API and say so.
  const list = await (
    await request.get(`/api/v1/installations/${slug}/packages`, { headers: hostAuth })
  ).json();
  expect(list.map((p: { channel: string }) => p.channel)).toEqual(["API", "API"]);
});

test("the browser's upload route keeps the package with channel BROWSER, only with its header", async ({
  browser,
  request,
}) => {
  const admin = createPerson(["admin"]);
  const slug = `os4x-${randomBytes(3).toString("hex")}`;
  const auth = { authorization: `Bearer ${admin.token}` };
  const created = await request.post("/api/v1/installations", {
    headers: auth,
    data: { slug, name: "OS4X browser", product: "OS4X", mode: "automatic" },
  });
  expect(created.status()).toBe(201);
  await request.post(`/api/v1/installations/${slug}/certificates`, {
    headers: auth,
    multipart: { certificate: file(corpus.cas.vendor.certPath) },
  });

  const page = await (await browser.newContext()).newPage();
  await signIn(page, admin);
  const pkg = { package: file(corpus.packages.validPem.path, "os4x.sh.signed") };
  const crossSite = await page.request.post(`/installations/${slug}/packages/upload`, {
    multipart: pkg,
  });
  expect(crossSite.status()).toBe(403);
  const up = await page.request.post(`/installations/${slug}/packages/upload`, {
    multipart: pkg,
    headers: { "x-patchgate-upload": "1" },
  });
  expect(up.status(), await up.text()).toBe(201);
  const r = await up.json();
  expect(r).toMatchObject({
    state: "VERIFIED",
    reason: null,
    bytes: readFileSync(corpus.packages.validPem.path).length,
  });
  const detail = await (await request.get(`/api/v1/packages/${r.id}`, { headers: auth })).json();
  expect(detail).toMatchObject({
    channel: "BROWSER",
    update: { mode: "automatic", state: "COMPLETED" },
  });
});
