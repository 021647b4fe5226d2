import { describe, expect, it } from "vitest";
import { ZReviewsRequired, ZTestsRequired } from "./policy";

describe("policy counts: at least two reviews and two tests", () => {
  it.each<[unknown, boolean]>([
    [2, true],
    [3, true],
    [20, true],
    [1, false],
    [0, false],
    [-2, false],
    [2.5, false],
    [21, false],
    ["2", false],
  ])("%s → %s", (value, ok) => {
    expect(ZReviewsRequired.safeParse(value).success).toBe(ok);
    expect(ZTestsRequired.safeParse(value).success).toBe(ok);
  });

  it("says what the seed asks for", () => {
    const r = ZReviewsRequired.safeParse(1);
    expect(r.error?.issues[0].message).toBe(
      'A system requires at least 2 reviews by distinct people (the seed: "at least two").',
    );
    expect(ZTestsRequired.safeParse(0).error?.issues[0].message).toMatch(/at least 2 tests/);
  });
});
