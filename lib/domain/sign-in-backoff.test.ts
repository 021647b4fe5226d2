import { describe, expect, it } from "vitest";
import {
  formatWait,
  lockSeconds,
  LOCK_AFTER_FAILURES,
  MAX_LOCK_SECONDS,
  parseRefusalCode,
  refusalCode,
  refusalMessage,
} from "./sign-in-backoff";

describe("lockSeconds", () => {
  it("does not lock before the 10th consecutive failure", () => {
    for (let n = 0; n < LOCK_AFTER_FAILURES; n++) expect(lockSeconds(n)).toBe(0);
  });

  it("locks for a minute at the 10th and doubles with each further failure", () => {
    expect(lockSeconds(10)).toBe(60);
    expect(lockSeconds(11)).toBe(120);
    expect(lockSeconds(12)).toBe(240);
    expect(lockSeconds(15)).toBe(1920);
  });

  it("never waits longer than an hour, however many failures", () => {
    expect(lockSeconds(16)).toBe(MAX_LOCK_SECONDS);
    expect(lockSeconds(1_000)).toBe(MAX_LOCK_SECONDS);
    expect(lockSeconds(Number.MAX_SAFE_INTEGER)).toBe(MAX_LOCK_SECONDS);
  });

  it("grows monotonically", () => {
    for (let n = 0; n < 40; n++) expect(lockSeconds(n + 1)).toBeGreaterThanOrEqual(lockSeconds(n));
  });
});

describe("formatWait", () => {
  it("says the wait as people do, rounded up", () => {
    expect(formatWait(0.2)).toBe("1 second");
    expect(formatWait(45)).toBe("45 seconds");
    expect(formatWait(60)).toBe("1 minute");
    expect(formatWait(61)).toBe("2 minutes");
    expect(formatWait(3600)).toBe("1 hour");
  });
});

describe("refusal codes", () => {
  it("round-trip through the CredentialsSignin code", () => {
    const locked = { kind: "account_locked", waitSeconds: 120 } as const;
    expect(refusalCode(locked)).toBe("account_locked:120");
    expect(parseRefusalCode(refusalCode(locked))).toEqual(locked);
    expect(parseRefusalCode("address_limited:7")).toEqual({
      kind: "address_limited",
      waitSeconds: 7,
    });
  });

  it("read anything else as wrong credentials", () => {
    for (const code of [
      undefined,
      "",
      "credentials",
      "account_locked:",
      "account_locked:-1",
      "x:5",
    ])
      expect(parseRefusalCode(code)).toEqual({ kind: "wrong_credentials" });
  });

  it("tell how long to wait without saying whether the account exists", () => {
    expect(refusalMessage({ kind: "account_locked", waitSeconds: 60 })).toBe(
      "Too many failed sign-ins for this account. Try again in 1 minute.",
    );
    expect(refusalMessage({ kind: "wrong_credentials" })).toBe("Wrong email or password.");
  });
});
