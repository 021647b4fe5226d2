import { describe, expect, it } from "vitest";
import { isTokenLive, scopeAllows } from "./token-scope";

describe("token scopes", () => {
  it("read allows only GET and HEAD; sign allows every method", () => {
    for (const m of ["GET", "HEAD", "get"]) expect(scopeAllows("read", m)).toBe(true);
    for (const m of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
      expect(scopeAllows("read", m)).toBe(false);
    for (const m of ["GET", "POST", "DELETE"]) expect(scopeAllows("sign", m)).toBe(true);
  });
});

describe("token liveness", () => {
  const now = new Date("2026-12-02T12:00:00Z");
  it("ends at revocation or at the expiry instant", () => {
    expect(isTokenLive({ revokedAt: null, expiresAt: null }, now)).toBe(true);
    expect(isTokenLive({ revokedAt: now, expiresAt: null }, now)).toBe(false);
    expect(isTokenLive({ revokedAt: null, expiresAt: new Date(now.getTime() + 1) }, now)).toBe(
      true,
    );
    expect(isTokenLive({ revokedAt: null, expiresAt: now }, now)).toBe(false);
  });
});
