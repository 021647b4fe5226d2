import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// A merge that left its conflict markers in a tracked file (a doc table once
// shipped with one) is caught here, since neither tsc nor prettier reads docs.
describe("the tracked files", () => {
  it("hold no merge conflict markers", () => {
    let found = "";
    try {
      found = execFileSync("git", ["grep", "-n", "-E", "^(<<<<<<<|>>>>>>>) ", "--", "."], {
        encoding: "utf8",
      });
    } catch (e) {
      // git grep exits 1 when nothing matches.
      if ((e as { status?: number }).status !== 1) throw e;
    }
    expect(found).toBe("");
  });
});
