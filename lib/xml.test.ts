import { describe, expect, it } from "vitest";
import { escapeXml } from "./xml";

describe("escapeXml", () => {
  it("escapes markup characters", () => {
    expect(escapeXml(`<a href="x">Tom & Jerry</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;",
    );
  });

  it("keeps tab, newline, carriage return and ordinary Unicode", () => {
    expect(escapeXml("a\tb\nc\rd — é 😀")).toBe("a\tb\nc\rd — é 😀");
  });

  it("drops the characters XML 1.0 forbids", () => {
    const forbidden = [
      ...Array.from({ length: 9 }, (_, i) => i),
      0x0b,
      0x0c,
      ...Array.from({ length: 18 }, (_, i) => 0x0e + i),
      0xfffe,
      0xffff,
    ];
    const dirty = `x${forbidden.map((c) => String.fromCharCode(c)).join("")}y`;
    expect(escapeXml(dirty)).toBe("xy");
  });
});
