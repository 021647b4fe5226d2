import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

describe("clientAddress", () => {
  it("ignores X-Forwarded-For unless a proxy is trusted", () => {
    expect(clientAddress("203.0.113.7", 0)).toBeNull();
  });

  it("takes the entry the nearest trusted proxy appended, not what the client sent", () => {
    // The client forged the first entry; one proxy appended the real address.
    expect(clientAddress("198.51.100.1, 203.0.113.7", 1)).toBe("203.0.113.7");
    // Two proxies: the outer one appended the client, the inner one the outer proxy.
    expect(clientAddress("198.51.100.1, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
    expect(clientAddress("2001:DB8::1", 1)).toBe("2001:db8::1");
  });

  it("answers null for a header too short or not an address", () => {
    expect(clientAddress(null, 1)).toBeNull();
    expect(clientAddress("203.0.113.7", 2)).toBeNull();
    expect(clientAddress("<script>", 1)).toBeNull();
  });
});
