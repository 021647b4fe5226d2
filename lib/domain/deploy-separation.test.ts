import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import type { TSignoffFact } from "./patch-state";
import { assertMayDeploy, deploySeparation, type TSeparationFacts } from "./deploy-separation";

// X3: who may open or tick a deployment, one row per role a person played.

const sign = (kind: TSignoffFact["kind"], signerId: string, revision = 2): TSignoffFact => ({
  kind,
  verdict: ({ SUBMIT: "SUBMIT", REVIEW: "APPROVE", TEST: "PASS", REQUEST: "REQUEST" } as const)[
    kind
  ],
  signerId,
  revision,
});

const FACTS: TSeparationFacts = {
  authorId: "author",
  revisionUploaderId: "uploader2",
  uploaderIds: ["author", "uploader2"],
  signoffs: [
    sign("SUBMIT", "uploader2"),
    sign("REVIEW", "reviewer"),
    sign("REVIEW", "old-reviewer", 1),
    { ...sign("REVIEW", "rejecter"), verdict: "REJECT" },
    sign("TEST", "tester"),
    { ...sign("TEST", "failer", 1), verdict: "FAIL" },
    sign("REQUEST", "requester"),
  ],
};

describe("deploySeparation (X3)", () => {
  const rows: [string, string | null][] = [
    ["author", "you wrote this patch"],
    ["uploader2", "you uploaded a revision of this patch"],
    ["reviewer", "you reviewed this patch"],
    ["old-reviewer", "you reviewed this patch"],
    ["rejecter", "you reviewed this patch"],
    ["tester", "you tested this patch"],
    ["failer", "you tested this patch"],
    ["requester", "you signed its request"],
    ["bystander", null],
  ];
  it.each(rows)("%s → %s", (person, reason) => {
    expect(deploySeparation(FACTS, person)).toBe(reason);
  });

  it("refuses with FORBIDDEN and says why, or returns quietly", () => {
    expect(() => assertMayDeploy(FACTS, "bystander")).not.toThrow();
    try {
      assertMayDeploy(FACTS, "tester");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringMatching(/you tested this patch.*\(X3\)/),
      });
    }
  });
});
