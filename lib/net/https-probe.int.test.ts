import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opensslFingerprint, startTlsServers, type TTlsServers } from "../../test/tls-servers";
import { probeHttps } from "./https-probe";

// The HTTPS check's probe against real local HTTPS servers with certificates openssl made.
let t: TTlsServers;
beforeAll(async () => {
  t = await startTlsServers();
});
afterAll(async () => {
  await t?.close();
});

const probe = (url: string, caBundle: string | null = t.ca.pem, timeoutMs = 3_000) =>
  probeHttps({ url, caBundle, timeoutMs });

describe("probeHttps", () => {
  it("records the certificate a valid server presents and finds it valid", async () => {
    const r = await probe(t.urls.valid);
    const c = t.certs.valid;
    expect(r).toEqual({
      presented: true,
      subject: "CN=localhost, O=Certbot test",
      sans: ["DNS:localhost"],
      issuer: "CN=Certbot Test CA, O=Patchgate tests",
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      sha256: opensslFingerprint(c),
      hostValid: true,
      chainValid: true,
      ok: true,
      reason: "",
    });
  });

  it("a certificate for another host: the chain is fine, the host is not", async () => {
    const r = await probe(t.urls.wrongHost);
    expect(r).toMatchObject({
      presented: true,
      subject: "CN=other.example.org",
      sans: ["DNS:other.example.org"],
      sha256: opensslFingerprint(t.certs.wrongHost),
      hostValid: false,
      chainValid: true,
      ok: false,
    });
    expect(r.reason).toBe(
      "the certificate is not valid for localhost (it names DNS:other.example.org)",
    );
  });

  it("an expired certificate does not chain, and the reason says when it expired", async () => {
    const r = await probe(t.urls.expired);
    expect(r).toMatchObject({ presented: true, hostValid: true, chainValid: false, ok: false });
    expect(r.notAfter).toEqual(t.certs.expired.notAfter);
    expect(r.reason).toBe(`the certificate expired on ${t.certs.expired.notAfter.toISOString()}`);
  });

  it("a self-signed certificate is named as such", async () => {
    const r = await probe(t.urls.selfSigned);
    expect(r).toMatchObject({ presented: true, hostValid: true, chainValid: false, ok: false });
    expect(r.issuer).toBe(r.subject);
    expect(r.reason).toBe("self-signed certificate, not in the CA bundle given");
  });

  it("without a bundle the system's trust store decides: the test CA is not in it", async () => {
    const r = await probe(t.urls.valid, null);
    expect(r).toMatchObject({ hostValid: true, chainValid: false, ok: false });
    expect(r.reason).toBe("issuer not in the system's trust store");
  });

  it("a bundle without the issuer: issuer not in the bundle", async () => {
    const r = await probe(t.urls.valid, t.certs.selfSigned.pem);
    expect(r.reason).toBe("issuer not in the CA bundle given");
  });

  it("nothing answering, or no handshake in time: not ok, no certificate facts", async () => {
    const refused = await probe(t.closedUrl);
    expect(refused).toEqual({
      presented: false,
      hostValid: false,
      chainValid: false,
      ok: false,
      reason: expect.stringMatching(/^nothing answered at localhost:\d+/),
    });
    const started = Date.now();
    const silent = await probe(t.silentUrl, t.ca.pem, 400);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(silent).toMatchObject({ presented: false, ok: false });
    expect(silent.reason).toBe("no TLS handshake within 400 ms");
    expect(silent).not.toHaveProperty("sha256");
  });

  it("only an https URL is probed, and no HTTP request is ever sent", async () => {
    const before = t.seen.connections;
    expect(await probe(t.urls.valid.replace("https:", "http:"))).toMatchObject({
      ok: false,
      reason: "only https URLs are checked",
    });
    expect(t.seen.connections).toBe(before);
    expect(t.seen.requests).toBe(0);
  });
});
