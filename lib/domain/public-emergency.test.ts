import { describe, expect, it } from "vitest";
import { inProgressLine, isEnded, redactForPublic } from "./public-emergency";

const e = (state: string) => ({
  number: 4,
  system: "webdb",
  declaredAt: "2026-12-03T01:02:03.000Z",
  state,
  title: "SQL injection in the login form",
  severity: "critical",
});

describe("the public log shows no emergency's details before it ends (E7)", () => {
  for (const state of ["DECLARED", "OPTION1", "OPTION2", "OPTION3"]) {
    it(`${state}: only the system and the time`, () => {
      const shown = redactForPublic(e(state));
      expect(shown).toEqual({
        number: 4,
        system: "webdb",
        declaredAt: "2026-12-03T01:02:03.000Z",
        inProgress: true,
      });
      expect(JSON.stringify(shown)).not.toContain("SQL");
    });
  }
  for (const state of ["RESOLVED", "CLOSED"]) {
    it(`${state}: everything`, () => {
      expect(redactForPublic(e(state))).toMatchObject({
        title: "SQL injection in the login form",
        inProgress: false,
      });
      expect(isEnded(state)).toBe(true);
    });
  }
  it("words an emergency in progress", () => {
    expect(inProgressLine(e("OPTION1"))).toBe("An emergency on webdb since 2026-12-03 01:02 UTC");
  });
});
