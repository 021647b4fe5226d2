import { describe, expect, it } from "vitest";
import { unreachableReason, waitDelayMs } from "./unreachable";

describe("unreachableReason", () => {
  it("names a refused or reset connection, however deep the cause", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:2525"), {
      code: "ESOCKET",
    });
    expect(unreachableReason(refused)).toBe("connect ECONNREFUSED 127.0.0.1:2525");
    const wrapped = new Error("fetch failed", {
      cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
    });
    expect(unreachableReason(wrapped)).toBe("read ECONNRESET");
    const all = new AggregateError([Object.assign(new Error("x"), { code: "EHOSTUNREACH" })]);
    expect(unreachableReason(all)).toBe("x");
  });

  it("counts an SMTP 4xx (try later) but not a 5xx refusal or a plain bug", () => {
    expect(unreachableReason(Object.assign(new Error("421 too busy"), { responseCode: 421 }))).toBe(
      "421 too busy",
    );
    expect(
      unreachableReason(Object.assign(new Error("550 no such user"), { responseCode: 550 })),
    ).toBeNull();
    expect(unreachableReason(new TypeError("x is undefined"))).toBeNull();
    expect(unreachableReason("ECONNREFUSED")).toBeNull();
  });
});

describe("waitDelayMs", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([0, 1, 2, 3, 10, 1000].map((n) => waitDelayMs(n, 100, 1_000))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
});
