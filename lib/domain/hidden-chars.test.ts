import { describe, expect, it } from "vitest";
import { markHidden } from "./hidden-chars";

describe("markHidden", () => {
  it("marks a bidi override with its code point and name", () => {
    expect(markHidden('if (role != "user\u202E \u2066// admin\u2069\u2066") {')).toEqual([
      { text: 'if (role != "user' },
      { hidden: "U+202E", title: expect.stringContaining("RIGHT-TO-LEFT OVERRIDE") },
      { text: " " },
      { hidden: "U+2066", title: expect.stringContaining("LEFT-TO-RIGHT ISOLATE") },
      { text: "// admin" },
      { hidden: "U+2069", title: expect.stringContaining("POP DIRECTIONAL ISOLATE") },
      { hidden: "U+2066", title: expect.any(String) },
      { text: '") {' },
    ]);
  });

  it("marks escape and other controls, and zero-width characters", () => {
    expect(markHidden("echo \u001b[2J\u200B")).toEqual([
      { text: "echo " },
      { hidden: "U+001B", title: expect.stringContaining("ESCAPE") },
      { text: "[2J" },
      { hidden: "U+200B", title: expect.stringContaining("ZERO WIDTH SPACE") },
    ]);
  });

  it("leaves plain text, tabs and a CRLF line end alone", () => {
    expect(markHidden("\tcafé ✓\r")).toEqual([{ text: "\tcafé ✓\r" }]);
    expect(markHidden("")).toEqual([]);
  });

  it("marks a CR in the middle of a line (it hides what comes before)", () => {
    expect(markHidden("safe\rrm -rf")).toEqual([
      { text: "safe" },
      { hidden: "U+000D", title: expect.stringContaining("CARRIAGE RETURN") },
      { text: "rm -rf" },
    ]);
  });
});
