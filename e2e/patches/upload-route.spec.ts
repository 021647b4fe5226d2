import { readFileSync } from "node:fs";
import { expect, test } from "../fixtures/test";
import { createKeyedPerson, createSystem, diffFile, pageFor } from "./patch-helpers";

// The route behind the new-patch form decides for itself: session, origin header, role, size.
test("the upload route refuses no session, a cross-site post, a tester, and an oversized body", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const system = createSystem("webdb");
  const form = () => ({
    system,
    title: "Direct post",
    summary: "s",
    bugId: "7",
    bugSummary: "b",
    diff: { name: "fix.diff", mimeType: "text/x-diff", buffer: readFileSync(diffFile("route")) },
  });

  const anonymous = await playwright.request.newContext({ baseURL });
  const none = await anonymous.post("/patches/new/upload", {
    multipart: form(),
    headers: { "x-patchgate-upload": "1" },
    maxRedirects: 0,
  });
  expect([401, 307]).toContain(none.status());

  const dev = await createKeyedPerson(["developer"]);
  const devPage = await pageFor(browser, dev);
  const crossSite = await devPage.request.post("/patches/new/upload", { multipart: form() });
  expect(crossSite.status()).toBe(403);

  const tooBig = await devPage.request.post("/patches/new/upload", {
    headers: { "x-patchgate-upload": "1", "content-type": "multipart/form-data; boundary=x" },
    data: Buffer.alloc(6 * 1024 * 1024, 0x61),
  });
  expect(tooBig.status()).toBe(413);

  const ok = await devPage.request.post("/patches/new/upload", {
    multipart: form(),
    headers: { "x-patchgate-upload": "1" },
  });
  expect(ok.status()).toBe(201);
  expect(await ok.json()).toMatchObject({
    revision: 1,
    state: "DRAFT",
    diffSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });

  const tester = await createKeyedPerson(["tester"]);
  const testerPage = await pageFor(browser, tester);
  const refused = await testerPage.request.post("/patches/new/upload", {
    multipart: form(),
    headers: { "x-patchgate-upload": "1" },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toMatch(/patch:submit/);
});
