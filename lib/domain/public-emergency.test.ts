import { describe, expect, it } from "vitest";
import {
  endedLine,
  inProgressLine,
  isEnded,
  lastChanged,
  redactForPublic,
} from "./public-emergency";

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

describe("an ended emergency's outcome and its feed entry's last change", () => {
  it("words resolved and closed", () => {
    expect(endedLine({ state: "RESOLVED", endedAt: "2026-12-03T05:06:07.000Z" })).toBe(
      "resolved 2026-12-03 05:06 UTC",
    );
    expect(endedLine({ state: "CLOSED", endedAt: "2026-12-03T05:06:07.000Z" })).toBe(
      "closed: not an emergency (2026-12-03 05:06 UTC)",
    );
    expect(endedLine({ state: "CLOSED", endedAt: null })).toBe("closed: not an emergency");
  });
  it("takes the latest instant shown, whatever order and offset they came in", () => {
    expect(
      lastChanged([
        "2026-12-03T01:00:00.000Z",
        null,
        "2026-12-03T03:00:00+01:00",
        "2026-12-03T01:30:00.000Z",
        undefined,
      ]),
    ).toBe("2026-12-03T02:00:00.000Z");
    expect(lastChanged([])).toBe("1970-01-01T00:00:00.000Z");
  });
});
