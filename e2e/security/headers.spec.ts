import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIResponse } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { createKeyedPerson, createSystem, diffFile, pageFor } from "../patches/patch-helpers";

// Issue 11, findings 5 and 13: every response carries the security headers, pages
// a CSP with a fresh nonce on Next's own scripts, no page can be framed, and a
// server action posted from another origin is refused with 403.

// Sign-ins and the CLI that creates people are slow on a busy machine.
test.describe.configure({ timeout: 120_000 });

function expectBaseHeaders(res: APIResponse) {
  const h = res.headers();
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("same-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["permissions-policy"]).toContain("microphone=()");
  expect(h["permissions-policy"]).toContain("geolocation=()");
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  // Served over plain http here: no HSTS.
  expect(h["strict-transport-security"]).toBeUndefined();
}

function nonceOf(res: APIResponse): string {
  const csp = res.headers()["content-security-policy"];
  const m = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp);
  expect(m, csp).not.toBeNull();
  expect(csp).toContain("'strict-dynamic'");
  expect(csp).not.toContain("'unsafe-inline' 'nonce");
  return m![1];
}

test("the login page and a signed-in page carry a nonce CSP that Next puts on its scripts", async ({
  request,
  browser,
}) => {
  const login = await request.get("/login");
  expect(login.status()).toBe(200);
  expectBaseHeaders(login);
  const nonce = nonceOf(login);
  const html = await login.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
  // A fresh nonce per response.
  expect(nonceOf(await request.get("/login"))).not.toBe(nonce);

  const dev = createPerson(["developer"]);
  const page = await pageFor(browser, dev);
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.request.get("/patches");
  expect(res.status()).toBe(200);
  expectBaseHeaders(res);
  nonceOf(res);
  // The pages work under the policy: scripts hydrate (client navigation), no violation reported.
  for (const path of ["/emergencies", "/patches", "/profile", "/queue", "/patches/new"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  await page.getByRole("link", { name: "Patches", exact: true }).first().click();
  await expect(page).toHaveURL(/\/patches$/);
  expect(violations).toEqual([]);
  await page.context().close();
});

test("the redirect to /login, the API, the health check and the upload routes carry the headers", async ({
  request,
  playwright,
  baseURL,
}) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const redirect = await anonymous.get("/patches", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expectBaseHeaders(redirect);

  const dev = createPerson(["developer"]);
  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${dev.token}` } });
  expect(me.status()).toBe(200);
  const nonPage = (res: APIResponse) => {
    expectBaseHeaders(res);
    expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
  };
  nonPage(me);
  // API answers are one token's: no cache keeps them, and they go out as they are, not
  // gzipped by Next (decision 0014), even to a client that asks for gzip.
  for (const res of [
    await request.get("/api/v1/me", {
      headers: { authorization: `Bearer ${dev.token}`, "accept-encoding": "gzip" },
    }),
    await request.post("/api/v1/no-such-endpoint", { headers: { "accept-encoding": "gzip" } }),
  ]) {
    expect(res.headers()["cache-control"]).toBe("no-store, no-transform");
    expect(res.headers()["content-encoding"]).toBeUndefined();
  }
  nonPage(await request.get("/api/v1/me"));
  nonPage(await request.get("/api/health"));
  nonPage(await request.get("/api/v1/openapi.json"));
  nonPage(await request.get("/api/auth/session"));

  const system = createSystem("webdb");
  const upload = await anonymous.post("/patches/new/upload", {
    headers: { "x-patchgate-upload": "1" },
    multipart: {
      system,
      title: "Headers",
      summary: "s",
      bugId: "7",
      bugSummary: "b",
      diff: { name: "fix.diff", mimeType: "text/x-diff", buffer: readFileSync(diffFile("hdr")) },
    },
    maxRedirects: 0,
  });
  expect(upload.status()).toBe(401);
  nonPage(upload);
  const tarball = await anonymous.post("/patches/none/deployment/tarball", { maxRedirects: 0 });
  expect(tarball.status()).toBe(401);
  nonPage(tarball);
  await anonymous.dispose();
});

test("over https (X-Forwarded-Proto) pages and the API add HSTS and upgrade-insecure-requests", async ({
  request,
}) => {
  const https = { "x-forwarded-proto": "https" };
  const page = await request.get("/login", { headers: https });
  expect(page.headers()["strict-transport-security"]).toMatch(/^max-age=\d{8,}/);
  expect(page.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
  const api = await request.get("/api/health", { headers: https });
  expect(api.headers()["strict-transport-security"]).toMatch(/^max-age=\d{8,}/);
});

test("a signed-in page cannot be framed by another site", async ({ browser, baseURL }) => {
  const dev = await createKeyedPerson(["developer"]);
  const page = await pageFor(browser, dev);
  // The attacker's page: another origin on this machine (Chromium lets only local pages frame local ones).
  const attacker = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      `<!doctype html><title>attacker</title><iframe src="${baseURL}/profile" width="800" height="600"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  const messages: string[] = [];
  page.on("console", (m) => messages.push(m.text()));
  try {
    await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    // The browser refuses to show the portal in the frame, and says why.
    await expect.poll(() => messages.join("\n")).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
    // Chromium shows its own error page in the frame instead: nothing of the portal.
    expect(frame!.url()).not.toContain(baseURL!);
    expect(await frame!.getByText("Patchgate").count()).toBe(0);
  } finally {
    attacker.close();
    await page.context().close();
  }
});

test("a server action posted from another origin is refused with 403, not 500", async ({
  browser,
}) => {
  const dev = createPerson(["developer"]);
  const page = await pageFor(browser, dev);
  // The request a hostile page would make: the victim's cookie, the attacker's Origin.
  const action = (headers: Record<string, string>) =>
    page.request.post("/profile", {
      headers: {
        "next-action": "7f0000000000000000000000000000000000000000",
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
        ...headers,
      },
      data: "[]",
      maxRedirects: 0,
    });
  const foreign = await action({ origin: "http://attacker.test" });
  expect(foreign.status()).toBe(403);
  expectBaseHeaders(foreign);
  // The same without JavaScript: a plain form posted cross-site.
  const form = await page.request.post("/profile", {
    headers: { origin: "http://attacker.test" },
    form: { $ACTION_ID_7f00: "" },
    maxRedirects: 0,
  });
  expect(form.status()).toBe(403);
  // A reverse proxy's X-Forwarded-Host is what the Origin must match.
  const behindProxy = await action({
    origin: "https://portal.example.org",
    "x-forwarded-host": "portal.example.org",
  });
  expect(behindProxy.status()).not.toBe(403);
  expect(behindProxy.status()).toBeLessThan(500);
  const proxiedForeign = await action({
    origin: "https://attacker.test",
    "x-forwarded-host": "portal.example.org",
  });
  expect(proxiedForeign.status()).toBe(403);
  await page.context().close();
});
