// When a submitted release update is approved (S2): the target system's review
// policy (at least MIN_REVIEWS approvals by distinct reviewers, never the
// submitter), no reject on the current revision, and every change marked not
// backwards compatible acknowledged by a reviewer (update-major-ack).
import { MIN_REVIEWS } from "./policy";
import type { TMajorChange } from "./update-template";

export type TReviewFacts = {
  reviewsRequired: number;
  submitterId: string;
  /** Reviews of the current revision. */
  reviews: { signerId: string; verdict: "approve" | "reject" }[];
  changes: Pick<TMajorChange, "number" | "text" | "incompatible" | "sha256">[];
  /** SHA-256 of each change acknowledged on the current revision. */
  acknowledged: string[];
};

export type TReviewOutcome = {
  state: "SUBMITTED" | "APPROVED" | "REJECTED";
  approvals: number;
  required: number;
  /** Incompatible changes not yet acknowledged. */
  unacknowledged: { number: number; text: string }[];
  /** What still stands between the record and approval, in words (empty once approved). */
  waitingFor: string[];
};

export function reviewOutcome(f: TReviewFacts): TReviewOutcome {
  const required = Math.max(f.reviewsRequired, MIN_REVIEWS);
  const counted = f.reviews.filter((r) => r.signerId !== f.submitterId);
  const approvals = new Set(counted.filter((r) => r.verdict === "approve").map((r) => r.signerId))
    .size;
  const unacknowledged = f.changes
    .filter((c) => c.incompatible && !f.acknowledged.includes(c.sha256))
    .map(({ number, text }) => ({ number, text }));
  const base = { approvals, required, unacknowledged };
  if (counted.some((r) => r.verdict === "reject"))
    return {
      ...base,
      state: "REJECTED",
      waitingFor: ["a new revision (a reviewer rejected this one)"],
    };
  const waitingFor = [
    ...(approvals < required
      ? [`${required - approvals} more approving review${required - approvals === 1 ? "" : "s"}`]
      : []),
    ...unacknowledged.map(
      (c) => `an acknowledgement of major change ${c.number} (not backwards compatible)`,
    ),
  ];
  return { ...base, state: waitingFor.length ? "SUBMITTED" : "APPROVED", waitingFor };
}
