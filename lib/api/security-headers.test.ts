import { afterEach, describe, expect, it, vi } from "vitest";
import { isCrossOriginPost, newNonce, pageCsp, servedOverHttps } from "./security-headers";

const h = (o: Record<string, string>) => new Headers(o);

describe("isCrossOriginPost (what Next would refuse with a 500)", () => {
  it.each([
    ["same host", "POST", { origin: "http://localhost:3000", host: "localhost:3000" }, false],
    ["another host", "POST", { origin: "http://attacker.test", host: "localhost:3000" }, true],
    ["another port", "POST", { origin: "http://localhost:4000", host: "localhost:3000" }, true],
    ["an opaque origin", "POST", { origin: "null", host: "localhost:3000" }, true],
    ["a malformed origin", "POST", { origin: "::", host: "localhost:3000" }, true],
    ["no origin (left to Next)", "POST", { host: "localhost:3000" }, false],
    ["a GET", "GET", { origin: "http://attacker.test", host: "localhost:3000" }, false],
    [
      "the reverse proxy's host",
      "POST",
      {
        origin: "https://portal.example.org",
        host: "127.0.0.1:3000",
        "x-forwarded-host": "portal.example.org",
      },
      false,
    ],
    [
      "another site behind the proxy",
      "POST",
      {
        origin: "https://attacker.test",
        host: "attacker.test",
        "x-forwarded-host": "portal.example.org",
      },
      true,
    ],
    [
      "the first forwarded host only",
      "POST",
      { origin: "https://a.test", host: "x", "x-forwarded-host": "portal.example.org, a.test" },
      true,
    ],
  ] as const)("%s", (_, method, headers, refused) => {
    expect(isCrossOriginPost(method, h(headers))).toBe(refused);
  });
});

describe("servedOverHttps", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("follows X-Forwarded-Proto, then the request URL, then PUBLIC_URL / AUTH_URL", () => {
    vi.stubEnv("PUBLIC_URL", "http://localhost:3000");
    vi.stubEnv("AUTH_URL", "");
    expect(servedOverHttps(h({}), "http://localhost:3000/")).toBe(false);
    expect(servedOverHttps(h({ "x-forwarded-proto": "https" }), "http://x/")).toBe(true);
    expect(servedOverHttps(h({ "x-forwarded-proto": "HTTPS, http" }), "http://x/")).toBe(true);
    expect(servedOverHttps(h({}), "https://x/")).toBe(true);
    vi.stubEnv("AUTH_URL", "https://portal.example.org");
    expect(servedOverHttps(h({}), "http://x/")).toBe(true);
  });
});

describe("pageCsp", () => {
  it("allows scripts by nonce only, denies framing, and loosens nothing else in production", () => {
    const csp = pageCsp("abc", { dev: false, https: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic' 'wasm-unsafe-eval'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("style-src 'self' 'nonce-abc'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(pageCsp("abc", { dev: false, https: true })).toContain("upgrade-insecure-requests");
  });

  it("gives every response its own nonce", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
