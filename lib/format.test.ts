import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDateTimeNoZone,
  formatDateTimeSeconds,
  formatFingerprint,
  formatTime,
} from "./format";

describe("dates read the same everywhere, in UTC", () => {
  const at = new Date("2026-03-04T05:06:07.890Z");
  const cases: [string, (d: Date | string) => string, string][] = [
    ["formatDate", formatDate, "2026-03-04"],
    ["formatTime", formatTime, "05:06 UTC"],
    ["formatDateTime", formatDateTime, "2026-03-04 05:06 UTC"],
    ["formatDateTimeNoZone", formatDateTimeNoZone, "2026-03-04 05:06"],
    ["formatDateTimeSeconds", formatDateTimeSeconds, "2026-03-04 05:06:07"],
  ];

  for (const [name, format, expected] of cases) {
    it(`${name}: a Date and its ISO string (as a client component receives it) read alike`, () => {
      expect(format(at)).toBe(expected);
      expect(format(at.toISOString())).toBe(expected);
    });
    it(`${name}: an instant written in another zone reads in UTC`, () => {
      expect(format("2026-03-04T07:06:07.890+02:00")).toBe(expected);
    });
  }

  it("truncates, never rounds: the minute shown has begun", () => {
    expect(formatDateTime(new Date("2026-12-31T23:59:59.999Z"))).toBe("2026-12-31 23:59 UTC");
    expect(formatDate(new Date("2026-12-31T23:59:59.999Z"))).toBe("2026-12-31");
  });

  it("does not depend on the process's time zone", () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = "Pacific/Kiritimati"; // UTC+14: another day than UTC at 05:06
      expect(formatDateTime(at)).toBe("2026-03-04 05:06 UTC");
      process.env.TZ = "America/Adak"; // UTC-10
      expect(formatDate(at)).toBe("2026-03-04");
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

describe("fingerprints read in groups of four", () => {
  it("spaces a v4 fingerprint (40 hex digits) into ten groups", () => {
    expect(formatFingerprint("0123456789ABCDEF0123456789ABCDEF01234567")).toBe(
      "0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567",
    );
  });

  it("spaces a v6 fingerprint (64 hex digits) into sixteen groups", () => {
    const fpr = "A".repeat(64);
    expect(formatFingerprint(fpr).split(" ")).toEqual(Array(16).fill("AAAA"));
  });

  it("leaves no trailing space and keeps a short remainder as the last group", () => {
    expect(formatFingerprint("ABCDEF")).toBe("ABCD EF");
    expect(formatFingerprint("")).toBe("");
  });
});
