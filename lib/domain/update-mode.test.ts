import { describe, expect, it } from "vitest";
import { modeName, modeValue, readModeName, UPDATE_MODES } from "./update-mode";

describe("update modes", () => {
  it("round-trips every mode between its name and its stored value", () => {
    for (const name of UPDATE_MODES) expect(modeName(modeValue(name))).toBe(name);
  });

  it("reads the spellings people type and refuses the rest", () => {
    expect(readModeName("semi-automatic")).toBe("semi-automatic");
    expect(readModeName("SEMI_AUTOMATIC")).toBe("semi-automatic");
    expect(readModeName(" Manual ")).toBe("manual");
    expect(readModeName("auto")).toBeNull();
    expect(readModeName("")).toBeNull();
  });
});
