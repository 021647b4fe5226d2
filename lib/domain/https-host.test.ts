import { describe, expect, it } from "vitest";
import { readHttpsHost } from "./https-host";

describe("readHttpsHost", () => {
  it.each([
    ["certbot-test.example.org", "certbot-test.example.org"],
    ["Jammy.Example.ORG", "jammy.example.org"],
    ["  localhost ", "localhost"],
    ["example.org.", "example.org"],
    ["127.0.0.1", "127.0.0.1"],
    ["::1", "::1"],
    ["[2001:db8::1]", "2001:db8::1"],
  ])("keeps %j as %j", (input, host) => {
    expect(readHttpsHost(input)).toEqual({ host });
  });

  it.each([
    ["", /DNS name or an IP/],
    ["*.example.org", /no wildcard/],
    ["example.org:8443", /without scheme, port/],
    ["https://example.org", /without scheme/],
    ["user@example.org", /without scheme, port, user/],
    ["exa mple.org", /as a DNS name/],
    ["-bad.example.org", /as a DNS name/],
    ["a".repeat(64) + ".org", /as a DNS name/],
  ])("refuses %j", (input, problem) => {
    const r = readHttpsHost(input);
    expect("problem" in r && r.problem).toMatch(problem);
  });
});
