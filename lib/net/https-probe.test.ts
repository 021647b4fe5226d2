import { describe, expect, it } from "vitest";
import { chainReason, httpsTarget } from "./https-probe";

describe("httpsTarget", () => {
  it.each([
    ["https://certbot.example.org/", { host: "certbot.example.org", port: 443 }],
    ["https://Certbot.Example.org:8443/x?y", { host: "certbot.example.org", port: 8443 }],
    ["https://[::1]:4443/", { host: "::1", port: 4443 }],
    ["https://127.0.0.1/", { host: "127.0.0.1", port: 443 }],
  ])("%s → %j", (url, target) => {
    expect(httpsTarget(url)).toEqual(target);
  });

  it("refuses anything but https", () => {
    expect(() => httpsTarget("http://example.org/")).toThrow("only https URLs are checked");
  });
});

describe("chainReason", () => {
  const end = new Date("2026-01-31T12:00:00Z");
  it.each([
    ["CERT_HAS_EXPIRED", true, "the certificate expired on 2026-01-31T12:00:00.000Z"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", true, "self-signed certificate, not in the CA bundle given"],
    [
      "DEPTH_ZERO_SELF_SIGNED_CERT",
      false,
      "self-signed certificate, not in the system's trust store",
    ],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", true, "issuer not in the CA bundle given"],
    ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", false, "issuer not in the system's trust store"],
    ["SOMETHING_NEW", true, "the chain does not verify (SOMETHING_NEW)"],
  ])("%s (bundle given: %s)", (code, given, words) => {
    expect(chainReason(code, end, given)).toBe(words);
  });
});
