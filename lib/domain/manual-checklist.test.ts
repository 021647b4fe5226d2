import { describe, expect, it } from "vitest";
import {
  checklistFor,
  checklistStep,
  DAEMONS,
  evidenceProblems,
  MANUAL_CHECKLIST,
  missingConfirmations,
  nextStep,
  refuseStep,
} from "./manual-checklist";

describe("the manual checklist (U4, the seed's order)", () => {
  it("keeps the seed's fixed order, the Enterprise steps 6–8 only on Enterprise", () => {
    expect(MANUAL_CHECKLIST.map((s) => s.key)).toEqual([
      "backup",
      "database-schema",
      "binaries",
      "config-schema",
      "web-interface",
      "web-access-client",
      "web-access-database-inc",
      "plugins",
      "configuration-page",
      "restart-daemons",
    ]);
    expect(checklistFor(false).map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 9, 10]);
    expect(checklistFor(true).map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("asks for the licence, database.inc.php and each of the four daemons", () => {
    expect(checklistStep(3)!.confirms).toEqual(["licenceKept"]);
    expect(checklistStep(5)!.confirms).toEqual(["databaseIncChecked"]);
    expect(checklistStep(7)!.confirms).toEqual(["databaseIncChecked"]);
    expect(checklistStep(10)!.confirms).toEqual([...DAEMONS]);
    expect(DAEMONS).toEqual(["os4xrd", "os4xsqd", "os4xdebugd", "os4xclientd"]);
  });

  it("refuses a step before every earlier applicable step is ticked, naming the first open one", () => {
    expect(refuseStep(1, false, [])).toBe(null);
    expect(refuseStep(3, false, [1])).toEqual({
      code: "CONFLICT",
      message:
        "Step 2 (Run the database schema updater (os4x_dbupdate)) comes first: the checklist is ticked in its order.",
    });
    // Without Enterprise, step 9 follows step 5.
    expect(refuseStep(9, false, [1, 2, 3, 4, 5])).toBe(null);
    expect(refuseStep(9, true, [1, 2, 3, 4, 5])?.message).toMatch(/^Step 6 \(/);
    expect(refuseStep(2, false, [1, 2])?.message).toBe("Step 2 is already ticked.");
    expect(refuseStep(11, true, [])?.code).toBe("VALIDATION");
  });

  it("refuses the Enterprise steps on an installation without Enterprise", () => {
    for (const n of [6, 7, 8])
      expect(refuseStep(n, false, [1, 2, 3, 4, 5])).toMatchObject({
        code: "CONFLICT",
        message: expect.stringContaining(
          "OS4X Enterprise only; this installation is not Enterprise",
        ),
      });
  });

  it("names the next step, or null when done", () => {
    expect(nextStep(false, [])?.number).toBe(1);
    expect(nextStep(false, [1, 2, 3, 4, 5])?.number).toBe(9);
    expect(nextStep(true, [1, 2, 3, 4, 5])?.number).toBe(6);
    expect(nextStep(false, [1, 2, 3, 4, 5, 9, 10])).toBe(null);
    expect(nextStep(true, [1, 2, 3, 4, 5, 9, 10])?.number).toBe(6);
  });

  it("lists each missing confirmation (only true confirms)", () => {
    const restart = checklistStep(10)!;
    expect(
      missingConfirmations(restart, { os4xrd: true, os4xsqd: "yes", os4xclientd: false }),
    ).toEqual(["os4xsqd restarted", "os4xdebugd restarted", "os4xclientd restarted"]);
    expect(missingConfirmations(checklistStep(1)!, {})).toEqual([]);
  });

  it("accepts only the step's confirmations and a note as evidence", () => {
    const binaries = checklistStep(3)!;
    expect(
      evidenceProblems(binaries, { licenceKept: true, note: "kept /opt/os4x/license" }),
    ).toEqual([]);
    expect(evidenceProblems(binaries, { licenceKept: "true" })).toEqual([
      "evidence.licenceKept must be true or false",
    ]);
    expect(evidenceProblems(binaries, { os4xrd: true })[0]).toMatch(/no evidence field os4xrd/);
    expect(evidenceProblems(checklistStep(1)!, { note: 5 })).toEqual([
      "evidence.note must be text",
    ]);
    expect(evidenceProblems(checklistStep(1)!, { note: "x".repeat(2001) })[0]).toMatch(
      /at most 2000/,
    );
  });
});
