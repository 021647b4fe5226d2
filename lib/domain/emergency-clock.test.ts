import { describe, expect, it } from "vitest";
import { emergencyClock, formatLeft, parseMarks } from "./emergency-clock";

const declaredAt = new Date("2026-03-01T00:00:00Z");
const at = (hours: number) => new Date(declaredAt.getTime() + hours * 3_600_000);

describe("the 24-hour emergency clock (E3)", () => {
  const rows: { now: number; level: string; passed: number[]; overdue: boolean }[] = [
    { now: 0, level: "calm", passed: [], overdue: false },
    { now: 11.99, level: "calm", passed: [], overdue: false },
    { now: 12, level: "escalated", passed: [12], overdue: false },
    { now: 18.5, level: "escalated", passed: [12, 6], overdue: false },
    { now: 22, level: "urgent", passed: [12, 6, 2], overdue: false },
    { now: 24, level: "overdue", passed: [12, 6, 2], overdue: true },
    { now: 25, level: "overdue", passed: [12, 6, 2], overdue: true },
  ];
  for (const r of rows) {
    it(`at +${r.now} h it is ${r.level}`, () => {
      const c = emergencyClock({ declaredAt, now: at(r.now) });
      expect(c.deadlineAt.toISOString()).toBe("2026-03-02T00:00:00.000Z");
      expect(c.level).toBe(r.level);
      expect(c.passedMarks).toEqual(r.passed);
      expect(c.overdue).toBe(r.overdue);
      expect(c.elapsed).toBeCloseTo(Math.min(1, r.now / 24));
    });
  }

  it("takes configurable marks", () => {
    const c = emergencyClock({ declaredAt, now: at(21), marks: [4, 8] });
    expect(c.marks.map((m) => [m.hoursBefore, m.at.toISOString(), m.passed])).toEqual([
      [8, "2026-03-01T16:00:00.000Z", true],
      [4, "2026-03-01T20:00:00.000Z", true],
    ]);
    expect(c.level).toBe("urgent");
    expect(parseMarks("6, 12,2,99,-1,x")).toEqual([12, 6, 2]);
    expect(parseMarks(undefined)).toEqual([12, 6, 2]);
  });

  it("words the time left", () => {
    expect(formatLeft(5 * 3_600_000 + 3 * 60_000)).toBe("5 h 03 min left");
    expect(formatLeft(-3_600_000)).toBe("overdue by 1 h 00 min");
  });
});
