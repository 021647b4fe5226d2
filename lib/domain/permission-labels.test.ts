import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "./permissions";
import { PERMISSION_LABEL } from "./permission-labels";

describe("permissions read as words", () => {
  it("every permission has its own label, with no raw id in it", () => {
    const labels = PERMISSIONS.map((p) => PERMISSION_LABEL[p]);
    expect(labels.every((l) => typeof l === "string" && l.length > 3)).toBe(true);
    expect(labels.some((l) => l.includes(":"))).toBe(false);
    expect(new Set(labels).size).toBe(PERMISSIONS.length);
    expect(PERMISSION_LABEL["patch:review"]).toBe("review patches");
  });
});
