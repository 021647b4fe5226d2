import { describe, expect, it } from "vitest";
import { reviewOutcome, type TReviewFacts } from "./update-review";

const change = (number: number, incompatible: boolean) => ({
  number,
  text: `change ${number}`,
  incompatible,
  sha256: `sha${number}`,
});

const base: TReviewFacts = {
  reviewsRequired: 2,
  submitterId: "sub",
  reviews: [],
  changes: [change(1, false), change(2, true)],
  acknowledged: [],
};

describe("release update approval", () => {
  it("needs the policy's approvals and every incompatible change acknowledged", () => {
    const r = reviewOutcome({
      ...base,
      reviews: [
        { signerId: "a", verdict: "approve" },
        { signerId: "b", verdict: "approve" },
      ],
    });
    expect(r.state).toBe("SUBMITTED");
    expect(r.unacknowledged).toEqual([{ number: 2, text: "change 2" }]);
    expect(r.waitingFor).toEqual([
      "an acknowledgement of major change 2 (not backwards compatible)",
    ]);
    expect(
      reviewOutcome({
        ...base,
        reviews: [
          { signerId: "a", verdict: "approve" },
          { signerId: "b", verdict: "approve" },
        ],
        acknowledged: ["sha2"],
      }).state,
    ).toBe("APPROVED");
  });

  it("never counts the submitter, and never fewer than two reviews", () => {
    const r = reviewOutcome({
      ...base,
      reviewsRequired: 1,
      changes: [],
      reviews: [
        { signerId: "sub", verdict: "approve" },
        { signerId: "a", verdict: "approve" },
      ],
    });
    expect([r.state, r.approvals, r.required]).toEqual(["SUBMITTED", 1, 2]);
    expect(r.waitingFor).toEqual(["1 more approving review"]);
  });

  it("follows a stricter system policy", () => {
    const reviews = ["a", "b"].map((signerId) => ({ signerId, verdict: "approve" as const }));
    expect(reviewOutcome({ ...base, changes: [], reviewsRequired: 3, reviews }).state).toBe(
      "SUBMITTED",
    );
  });

  it("is rejected by one reject", () => {
    const r = reviewOutcome({
      ...base,
      reviews: [
        { signerId: "a", verdict: "approve" },
        { signerId: "b", verdict: "reject" },
      ],
    });
    expect(r.state).toBe("REJECTED");
  });
});
