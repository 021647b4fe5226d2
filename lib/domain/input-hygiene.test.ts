import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import { cleanId, cleanLine, cleanText, forbiddenChar, intId, PG_INT_MAX } from "./input-hygiene";

const BIDI = [
  0x61c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
];
const C0_REFUSED = [...Array(32).keys()].filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d);
const forbidden = fc.constantFrom(
  ...[...BIDI, ...C0_REFUSED, 0x7f, 0x85].map((c) => String.fromCodePoint(c)),
);
// Text a person types: any Unicode except the characters refused.
const typed = fc
  .string({ unit: "grapheme" })
  .map((s) =>
    [...s].filter((ch) => forbiddenChar(ch, { multiline: true }) === null && ch !== "\r").join(""),
  );

describe("cleanLine", () => {
  it("accepts any single line a person types", () => {
    fc.assert(
      fc.property(typed, (s) => {
        const line = s.replace(/\n/g, " ");
        expect(cleanLine().parse(line)).toBe(line);
      }),
    );
  });

  it("refuses a line with a control or bidi character anywhere, naming it", () => {
    fc.assert(
      fc.property(typed, forbidden, typed, (a, bad, b) => {
        const r = z
          .object({ title: cleanLine() })
          .safeParse({ title: a.replace(/\n/g, " ") + bad + b.replace(/\n/g, " ") });
        expect(r.success).toBe(false);
        expect(r.error!.issues[0].path).toEqual(["title"]);
        expect(r.error!.issues[0].message).toMatch(/U\+[0-9A-F]{4}/);
      }),
    );
  });

  it("refuses line breaks", () => {
    expect(cleanLine().safeParse("a\nb").error?.issues[0].message).toBe("must be a single line");
    expect(cleanLine().safeParse("a\rb").success).toBe(false);
  });

  it("keeps chaining: trim, min, max", () => {
    const s = cleanLine().trim().min(3).max(5);
    expect(s.parse("  abc ")).toBe("abc");
    expect(s.safeParse("ab").success).toBe(false);
    expect(s.safeParse("\u202Eabc").success).toBe(false);
  });
});

describe("cleanText", () => {
  it("accepts any multi-line text a person types, tabs included", () => {
    fc.assert(
      fc.property(typed, (s) => {
        expect(cleanText().parse(s)).toBe(s);
      }),
    );
  });

  it("normalises CRLF and CR to LF", () => {
    fc.assert(
      fc.property(
        fc.array(typed.map((s) => s.replace(/\n/g, ""))),
        fc.constantFrom("\r\n", "\r", "\n"),
        (lines, eol) => {
          expect(cleanText().parse(lines.join(eol))).toBe(lines.join("\n"));
        },
      ),
    );
  });

  it("refuses a control or bidi character anywhere", () => {
    fc.assert(
      fc.property(typed, forbidden, typed, (a, bad, b) => {
        expect(cleanText().safeParse(a + bad + b).success).toBe(false);
      }),
    );
  });
});

describe("intId", () => {
  it("accepts every positive int4, as text or number", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: PG_INT_MAX }), (n) => {
        expect(intId().parse(String(n))).toBe(n);
        expect(intId().parse(n)).toBe(n);
      }),
    );
  });

  it("refuses what PostgreSQL's int4 cannot hold, and what is not a positive whole number", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ max: 0 }), fc.double({ min: PG_INT_MAX + 1, noNaN: true })),
        (n) => {
          expect(intId().safeParse(String(n)).success).toBe(false);
        },
      ),
    );
    for (const bad of ["99999999999", "1.5", "abc", "", "12\u0000"])
      expect(intId().safeParse(bad).success).toBe(false);
  });
});

describe("cleanId", () => {
  it("refuses NUL and empty ids", () => {
    expect(cleanId().safeParse("\u0000").success).toBe(false);
    expect(cleanId().safeParse("").success).toBe(false);
    expect(cleanId().parse("cmabc123")).toBe("cmabc123");
  });
});
